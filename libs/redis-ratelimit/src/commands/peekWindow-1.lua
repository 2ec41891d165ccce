--[[
  Read a window without counting a hit.

  Input:
    KEYS[1] counter key

  Output: { count, ttlMs }
    count   hits counted in the open window (0 when none is open)
    ttlMs   milliseconds until the window ends (0 when none is open)
]]
local count = tonumber(redis.call("GET", KEYS[1]) or "0")
return { count, math.max(redis.call("PTTL", KEYS[1]), 0) }
