--[[
  consumeWindows(keys, args, from, count): all-or-nothing over `count` windows: count one hit in
  every one, or in none when any is exhausted. The one implementation behind consumeWindows-n.lua
  (one `consumeAll`) and consumeWindowGroups-n.lua (the `consumeAll` calls of one tick, together).

  Input:
    keys   the list holding the counter keys: keys[from + 1 .. from + count]
    args   the list holding three values per key, from args[3 * from + 1]: limit (positive
           integer), windowMs (milliseconds), countDenied ("1" counts the hit on that rule even
           when the call is denied)

  Output: { n1, ttl1, n2, ttl2, ... } in key order
    ni > 0   rule i has room (allowed call: count after the hit; denied call: count, untouched
             unless countDenied)
    ni < 0   rule i is exhausted: -ni is its count after the call
    ni = 0   denied call, rule i has no hits counted
    ttli     milliseconds until rule i's window ends (0 when it has no open window)
  The call was allowed exactly when no ni is negative or zero.
  Every key is read before any is written, so a key of the wrong type fails the call with nothing
  counted.
]]
--- @include "includes/windowTtl"

local function consumeWindows(keys, args, from, count)
  local counts = {}
  local denied = false
  for i = 1, count do
    local c = tonumber(redis.call("GET", keys[from + i]) or "0")
    counts[i] = c
    if c >= tonumber(args[3 * (from + i) - 2]) then
      denied = true
    end
  end

  local out = {}
  for i = 1, count do
    local key = keys[from + i]
    local a = 3 * (from + i)
    local windowMs = args[a - 1]
    local c = counts[i]
    local exhausted = c >= tonumber(args[a - 2])
    if (not denied) or args[a] == "1" then
      c = redis.call("INCR", key)
    end
    local ttl
    if c == 0 then
      ttl = math.max(redis.call("PTTL", key), 0)
    elseif c == 1 and redis.call("PEXPIRE", key, windowMs, "NX") == 1 then
      ttl = tonumber(windowMs)
    else
      ttl = windowTtl(key, windowMs)
    end
    if exhausted then
      c = -c
    end
    out[2 * i - 1] = c
    out[2 * i] = ttl
  end
  return out
end
