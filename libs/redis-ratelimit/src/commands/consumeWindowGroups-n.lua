--[[
  Several independent all-or-nothing calls (`RateLimiter#consumeAll`), the ones of one tick, sent
  together. Each group is exactly what consumeWindows-n.lua does with its keys, in order; the
  groups are independent, so one group's error reply fails that call only. On Redis Cluster every
  key is in one slot (the caller groups calls by slot).

  Input:
    KEYS    every group's keys, one group after the other
    ARGV[1] how many groups, g
    ARGV[2 .. g + 1]  the number of keys of each group, in order
    ARGV[g + 2 ..]    three values per key, in KEYS order: limit (positive integer), windowMs
                      (milliseconds), countDenied ("1" counts the hit on that rule even when the
                      call is denied)

  Output: { r1, r2, ... } one reply per group, in order:
    a list    the group's { n1, ttl1, n2, ttl2, ... }, as consumeWindows-n.lua returns it
    a string  the group's error reply (e.g. "WRONGTYPE ..."): it counted nothing
]]
--- @include "includes/consumeWindows"

local groups = tonumber(ARGV[1])
local args = {}
for i = groups + 2, #ARGV do
  args[i - groups - 1] = ARGV[i]
end
local out = {}
local from = 0
for g = 1, groups do
  local count = tonumber(ARGV[g + 1])
  local ok, reply = pcall(consumeWindows, KEYS, args, from, count)
  if not ok then
    -- Redis 7.0 passes a redis.call error to pcall as its text, later versions as { err = text }.
    if type(reply) == "table" then
      reply = reply.err
    end
    reply = tostring(reply)
  end
  out[g] = reply
  from = from + count
end
return out
