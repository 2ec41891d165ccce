--[[
  Count one hit in a fixed window that opens at the first hit.

  Input:
    KEYS[1] counter key (string holding an integer)
    ARGV[1] limit        hits allowed per window (positive integer)
    ARGV[2] windowMs     window length in milliseconds (positive integer)
    ARGV[3] countDenied  optional: "1" keeps a denied hit counted; absent gives it back

  Output: one integer s * (n * 2^32 + ttlMs), or, when n >= 2^21 or ttlMs >= 2^32, { s * n, ttlMs }
    s = 1   allowed; n is the count after this hit (1..limit)
    s = -1  denied; n is the count after the call (>= limit)
    ttlMs   milliseconds until the window ends (Redis PTTL, never -1)
  One integer instead of an array is the hot path's biggest saving (no table, no array reply);
  n * 2^32 + ttlMs stays below 2^53, so the double Lua uses and the JS number are both exact.

  Only the first hit sets the expiry, so later hits never extend the window. Needs Redis >= 7.0
  (PEXPIRE NX).
]]
--- @include "includes/windowTtl"

local key = KEYS[1]
local n = redis.call("INCR", key)
local ttl
-- NX: a window whose hits were all refunded keeps its original end.
if n == 1 and redis.call("PEXPIRE", key, ARGV[2], "NX") == 1 then
  ttl = tonumber(ARGV[2])
else
  ttl = windowTtl(key, ARGV[2])
end
local sign = 1
if n > tonumber(ARGV[1]) then
  sign = -1
  if ARGV[3] ~= "1" then
    n = redis.call("DECR", key)
  end
end
if n < 2097152 and ttl < 4294967296 then
  return sign * (n * 4294967296 + ttl)
end
return { sign * n, ttl }
