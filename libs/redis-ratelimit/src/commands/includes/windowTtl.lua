--[[
  windowTtl(key, windowMs): the key's remaining time to live in milliseconds.
  Every key these scripts write must expire: a key found without a TTL (PTTL -1, e.g. written by
  something else or left by a crash between commands in an older version) gets `windowMs` now.
]]
local function windowTtl(key, windowMs)
  local ttl = redis.call("PTTL", key)
  if ttl < 0 then
    redis.call("PEXPIRE", key, windowMs)
    return tonumber(windowMs)
  end
  return ttl
end
