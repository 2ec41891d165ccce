--[[
  Count one hit in each of several independent fixed windows: the `consume` calls of one tick,
  sent together. Each call is exactly what consumeWindow-1.lua does for its key, in KEYS order
  (a key that appears twice is counted twice, the second call seeing the first); the calls are
  independent, so one call's error reply fails that call only. On Redis Cluster every key is in
  one slot (the caller groups calls by slot).

  Input:
    KEYS[i]  counter key of call i
    ARGV     runs of consecutive calls that share a rule, four values per run:
               limit        hits allowed per window (positive integer)
               windowMs     window length in milliseconds (positive integer)
               countDenied  "1" keeps a denied hit counted, "0" gives it back
               count        how many of the next KEYS the run covers
             the runs' counts add up to #KEYS

  Output: { r1, r2, ... } one reply per key, in KEYS order:
    an integer or { s * n, ttlMs }  call i's reply, as consumeWindow-1.lua returns it
    a string                        call i's error reply (e.g. "WRONGTYPE ..."): it counted nothing
]]
--- @include "includes/consumeWindow"

local out = {}
local k = 0
for r = 1, #ARGV, 4 do
  local limit = tonumber(ARGV[r])
  local windowMs = ARGV[r + 1]
  local countDenied = ARGV[r + 2] == "1"
  for _ = 1, tonumber(ARGV[r + 3]) do
    k = k + 1
    local reply, err = consumeWindow(KEYS[k], limit, windowMs, countDenied)
    out[k] = reply or err
  end
end
return out
