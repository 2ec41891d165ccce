--[[
  All-or-nothing: count one hit in every window, or in none when any is exhausted.
  The number of keys varies per call (passed as numkeys); on Redis Cluster the caller only uses
  this script when every key hashes to the same slot.

  Input (for i = 1..#KEYS, j = 3 * (i - 1)):
    KEYS[i]     counter key of rule i
    ARGV[j + 1] limit of rule i (positive integer)
    ARGV[j + 2] windowMs of rule i, in milliseconds (positive integer)
    ARGV[j + 3] countDenied of rule i: "1" counts the hit on rule i even when the call is denied

  Output: { n1, ttl1, n2, ttl2, ... } in KEYS order
    ni > 0   rule i has room (allowed call: count after the hit; denied call: count, untouched
             unless countDenied)
    ni < 0   rule i is exhausted: -ni is its count after the call
    ni = 0   denied call, rule i has no hits counted
    ttli     milliseconds until rule i's window ends (0 when it has no open window)
  The call was allowed exactly when no ni is negative or zero.
]]
--- @include "includes/windowTtl"

local nkeys = #KEYS
local counts = {}
local denied = false
for i = 1, nkeys do
  local c = tonumber(redis.call("GET", KEYS[i]) or "0")
  counts[i] = c
  if c >= tonumber(ARGV[3 * i - 2]) then
    denied = true
  end
end

local out = {}
for i = 1, nkeys do
  local key = KEYS[i]
  local windowMs = ARGV[3 * i - 1]
  local c = counts[i]
  local exhausted = c >= tonumber(ARGV[3 * i - 2])
  if (not denied) or ARGV[3 * i] == "1" then
    c = redis.call("INCR", key)
  end
  local ttl
  if c == 0 then
    ttl = math.max(redis.call("PTTL", key), 0)
  elseif c == 1 and redis.call("PEXPIRE", key, windowMs, "NX") == 1 then
    ttl = tonumber(windowMs)
  else
    ttl = windowTtl(key, windowMs)
  end
  if exhausted then
    c = -c
  end
  out[2 * i - 1] = c
  out[2 * i] = ttl
end
return out
