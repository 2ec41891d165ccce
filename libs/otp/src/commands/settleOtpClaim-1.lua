--[[
  settleOtpClaim-1.lua: end a hold that verifyOtp-4.lua put on a right code, by its claim token:
  commit (the code is spent) or release (the code is usable again, with its original expiry).

    KEYS[1]  code key     the same key as verifyOtp-4.lua's KEYS[1] (its value format is there)

    ARGV[1]  claim token  the token the hold was taken under
    ARGV[2]  outcome      "commit" or "release"

  Returns an integer:
     1  committed: the code is spent (a commit is honoured even after the lease: spent is where an
        expired hold ends anyway)
     2  released: the code is usable again; its TTL is unchanged (KEEPTTL)
     0  not held by this token: the code expired, was replaced by a new one, was deleted by a lock,
        or this claim was already settled; nothing changes
    -1  release refused: the lease has ended, so the code stays spent. A holder that overran its
        lease cannot know whether others acted on the "in progress" answer; failing safe keeps
        one-time use
]]

local value = redis.call('GET', KEYS[1])
if not value then
  return 0
end
local hash, token, leaseEnd = string.match(value, '^(%x+):held:([^:]+):(%d+)$')
if token ~= ARGV[1] then
  return 0
end
if ARGV[2] == 'commit' then
  redis.call('SET', KEYS[1], hash .. ':used', 'KEEPTTL')
  return 1
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if tonumber(leaseEnd) <= now then
  return -1
end
redis.call('SET', KEYS[1], hash, 'KEEPTTL')
return 2
