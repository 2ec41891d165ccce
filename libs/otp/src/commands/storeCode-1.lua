--[[
  storeCode-1.lua: store a new code's HMAC, replacing the previous code; failure counters and
  locks are untouched. A script rather than a plain SET so that every call of the store takes the
  one script path of `@tses/redis-ratelimit` (EVALSHA, routed by its key on a Cluster).

    KEYS[1]  code key      string: 64 hex chars, HMAC-SHA-256(email, code)

    ARGV[1]  code hash     64 hex chars
    ARGV[2]  ttlMs         integer milliseconds >= 1: the code's lifetime (PX)

  Returns "OK".
]]
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
