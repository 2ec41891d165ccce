--[[
  Give hits back to an open window, never going below zero and never changing when it ends.

  Input:
    KEYS[1] counter key
    ARGV[1] amount    hits to give back (positive integer)
    ARGV[2] windowMs  window length in milliseconds, applied only if the key had no TTL

  Output: { count, ttlMs }
    count   hits counted after the refund (>= 0; 0 when no window is open)
    ttlMs   milliseconds until the window ends (0 when none is open)
]]
--- @include "includes/windowTtl"

local key = KEYS[1]
local count = tonumber(redis.call("GET", key) or "0")
if count <= 0 then
  return { 0, math.max(redis.call("PTTL", key), 0) }
end
local give = math.min(count, tonumber(ARGV[1]))
count = redis.call("DECRBY", key, give)
return { count, windowTtl(key, ARGV[2]) }
