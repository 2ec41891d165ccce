--[[
  Delete one key: a window (`reset`) or a lockout subject (`clear`). A script rather than a plain
  DEL so that every call takes the one script path (EVALSHA, routed by its key on a Cluster).

  Input:
    KEYS[1] the key

  Output: 1 when the key existed, else 0
]]
return redis.call("DEL", KEYS[1])
