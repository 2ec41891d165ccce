--[[
  Count one hit in a fixed window that opens at the first hit (`RateLimiter#consume`).

  Input:
    KEYS[1] counter key (string holding an integer)
    ARGV[1] limit        hits allowed per window (positive integer)
    ARGV[2] windowMs     window length in milliseconds (positive integer)
    ARGV[3] countDenied  optional: "1" keeps a denied hit counted; absent gives it back

  Output: one integer s * (n * 2^32 + ttlMs), or, when n >= 2^21 or ttlMs >= 2^32, { s * n, ttlMs }
    s = 1   allowed; n is the count after this hit (1..limit)
    s = -1  denied; n is the count after the call (>= limit)
    ttlMs   milliseconds until the window ends (Redis PTTL, never -1)
  (includes/consumeWindow.lua documents the encoding and the window rules.)
]]
--- @include "includes/consumeWindow"

local reply, err = consumeWindow(KEYS[1], tonumber(ARGV[1]), ARGV[2], ARGV[3] == "1")
if err then
  return redis.error_reply(err)
end
return reply
