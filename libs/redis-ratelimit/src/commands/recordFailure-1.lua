--[[
  Lockout: count one failure and, when it reaches maxFailures, lock in the same step.
  One hash per subject: field "f" = failures in the window, field "l" = 1 while locked.
  While locked the key's TTL is the lock's remaining time; further failures change nothing.

  Input:
    KEYS[1] lockout key (hash)
    ARGV[1] maxFailures  the failure that reaches this count locks (positive integer)
    ARGV[2] windowMs     failure-counting window in milliseconds, opened by the first failure
    ARGV[3] lockMs       lock duration in milliseconds

  Output: { failures, locked, ttlMs }
    failures  failures counted in the current window
    locked    1 when locked (now or already), else 0
    ttlMs     milliseconds until the lock ends (locked) or the window ends (not locked)
]]
--- @include "includes/windowTtl"

local key = KEYS[1]
if redis.call("HEXISTS", key, "l") == 1 then
  return { tonumber(redis.call("HGET", key, "f") or "0"), 1, windowTtl(key, ARGV[3]) }
end
local f = redis.call("HINCRBY", key, "f", 1)
if f >= tonumber(ARGV[1]) then
  redis.call("HSET", key, "l", 1)
  redis.call("PEXPIRE", key, ARGV[3])
  return { f, 1, tonumber(ARGV[3]) }
end
if f == 1 then
  redis.call("PEXPIRE", key, ARGV[2])
  return { f, 0, tonumber(ARGV[2]) }
end
return { f, 0, windowTtl(key, ARGV[2]) }
