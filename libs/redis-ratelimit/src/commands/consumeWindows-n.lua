--[[
  All-or-nothing (`RateLimiter#consumeAll`): count one hit in every window, or in none when any
  is exhausted. The number of keys varies per call (passed as numkeys); on Redis Cluster the
  caller only uses this script when every key hashes to the same slot.

  Input (for i = 1..#KEYS, j = 3 * (i - 1)):
    KEYS[i]     counter key of rule i
    ARGV[j + 1] limit of rule i (positive integer)
    ARGV[j + 2] windowMs of rule i, in milliseconds (positive integer)
    ARGV[j + 3] countDenied of rule i: "1" counts the hit on rule i even when the call is denied

  Output: { n1, ttl1, n2, ttl2, ... } in KEYS order (includes/consumeWindows.lua documents it)
    ni > 0   rule i has room; ni < 0 rule i is exhausted; ni = 0 denied, no hits counted
    ttli     milliseconds until rule i's window ends (0 when it has no open window)
  The call was allowed exactly when no ni is negative or zero.
]]
--- @include "includes/consumeWindows"

return consumeWindows(KEYS, ARGV, 0, #KEYS)
