--[[
  consumeWindow(key, limit, windowMs, countDenied): count one hit in the fixed window at `key`,
  which opens at its first hit. The one implementation behind consumeWindow-1.lua (one call) and
  consumeWindowsEach-n.lua (the calls of one tick, together).

  Input:
    key          counter key (string holding an integer)
    limit        hits allowed per window (number)
    windowMs     window length in milliseconds (string or number)
    countDenied  true keeps a denied hit counted; false gives it back

  Output: one integer s * (n * 2^32 + ttlMs), or, when n >= 2^21 or ttlMs >= 2^32, { s * n, ttlMs }
    s = 1   allowed; n is the count after this hit (1..limit)
    s = -1  denied; n is the count after the call (>= limit)
    ttlMs   milliseconds until the window ends (Redis PTTL, never -1)
  or nil and the error reply's text when the key holds something else (WRONGTYPE): nothing was
  counted. (The only command that can fail is the first; a redis.pcall there costs less than a
  Lua pcall around the whole function in a script that runs it for many keys.)
  One integer instead of an array is the hot path's biggest saving (no table, no array reply);
  n * 2^32 + ttlMs stays below 2^53, so the double Lua uses and the JS number are both exact.

  Only the first hit sets the expiry, so later hits never extend the window. Needs Redis >= 7.0
  (PEXPIRE NX).
]]
--- @include "includes/windowTtl"

local function consumeWindow(key, limit, windowMs, countDenied)
  local n = redis.pcall("INCR", key)
  if type(n) == "table" then
    return nil, n.err
  end
  local ttl
  -- NX: a window whose hits were all refunded keeps its original end.
  if n == 1 and redis.call("PEXPIRE", key, windowMs, "NX") == 1 then
    ttl = tonumber(windowMs)
  else
    ttl = windowTtl(key, windowMs)
  end
  local sign = 1
  if n > limit then
    sign = -1
    if not countDenied then
      n = redis.call("DECR", key)
    end
  end
  if n < 2097152 and ttl < 4294967296 then
    return sign * (n * 4294967296 + ttl)
  end
  return { sign * n, ttl }
end
