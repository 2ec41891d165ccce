--[[
  Lockout: read a subject's state without counting anything.

  Input:
    KEYS[1] lockout key (hash)

  Output: { failures, locked, ttlMs }
    failures  failures counted in the current window (0 when none)
    locked    1 while locked, else 0
    ttlMs     milliseconds until the lock ends (locked) or the window ends; 0 when no key
]]
local state = redis.call("HMGET", KEYS[1], "f", "l")
local ttl = math.max(redis.call("PTTL", KEYS[1]), 0)
local locked = 0
if state[2] then
  locked = 1
end
return { tonumber(state[1] or "0"), locked, ttl }
