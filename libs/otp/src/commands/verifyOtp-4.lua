--[[
  verifyOtp-4.lua: check a submitted one-time password, count failures and lock, atomically; on
  the right code, spend it at once or hold it for the caller (two-phase verification).

  All four keys belong to one email and share one hash tag, so this runs on Redis Cluster.
    KEYS[1]  code key           string; PX = code TTL, which no state change alters (KEEPTTL):
                                  <hash>                          usable
                                  <hash>:used                     spent
                                  <hash>:held:<token>:<leaseEnd>  held by the claim <token> until
                                                                  <leaseEnd> (Redis TIME, ms); after
                                                                  that it counts as spent
                                <hash> = 64 hex chars, HMAC-SHA-256(email, code)
    KEYS[2]  failures key       integer: failures in the short window; PX = ARGV[3]
    KEYS[3]  long failures key  integer: failures in the long window; PX = ARGV[6]
    KEYS[4]  lock key           "1" while locked; PX = lock duration

    ARGV[1]  submitted hash     64 hex chars, HMAC-SHA-256(email, submitted code), computed in Node
    ARGV[2]  maxFailures        integer >= 1: the failure that reaches it locks for ARGV[4]
    ARGV[3]  failureWindowMs    integer milliseconds, opened by the first failure
    ARGV[4]  lockMs             integer milliseconds
    ARGV[5]  longMaxFailures    integer >= 0 (0 = no long-window cap)
    ARGV[6]  longWindowMs       integer milliseconds, opened by the first failure
    ARGV[7]  longLockMs         integer milliseconds
    ARGV[8]  claim token        "" = spend the code now; else hold it under this token (no ":")
    ARGV[9]  leaseMs            integer milliseconds a hold lasts (ignored when ARGV[8] is "")

  Returns { status, value }:
    { 0, lockRemainingMs }   locked: already (remaining from PTTL) or by this very failure
    { 1, 0 }                 verified: the code is spent or held, both failure counters cleared
    { 2, attemptsRemaining } invalid: a failure was counted
    { 3, leaseRemainingMs }  in progress: the right code, held by another claim (no failure counted)
    { 4, 0 }                 used: the right code, already spent (no failure counted)

  Only someone who knows the code can see `used` or `in progress`, so neither answer tells an
  attacker anything, and neither may count a failure: the owner's own retries must never lock them.

  Why not @tses/redis-ratelimit's Lockout (recordFailure-1.lua): the lock check, the comparison,
  the failure count and spending the code must be one atomic step, or concurrent guesses slip in
  between a check and a count and the right code could be used twice.

  Why comparing here is not a timing oracle: both operands are HMACs under a key the caller
  never sees, so how many leading bytes of HMAC(k, email|guess) match HMAC(k, email|code) says
  nothing about the code (Brad Hill's "double HMAC" argument), and each guess costs a counted
  failure. The loop below is constant-time anyway, and a missing code is compared against a
  dummy of the same length so "never requested" costs the same as "wrong".
]]

local lockTtl = redis.call('PTTL', KEYS[4])
if lockTtl == -1 then
  -- A lock without expiry would be permanent; give it the configured one.
  redis.call('PEXPIRE', KEYS[4], ARGV[4])
  lockTtl = tonumber(ARGV[4])
end
if lockTtl > 0 then
  return { 0, lockTtl }
end

local submitted = ARGV[1]
local value = redis.call('GET', KEYS[1])
-- The hash is the value's first #submitted characters; what follows is the state (see KEYS[1]).
local stored = value and string.sub(value, 1, #submitted)
local state = value and string.sub(value, #submitted + 1) or ''
local present = stored and #stored == #submitted and (state == '' or string.sub(state, 1, 1) == ':')
local expected = present and stored or string.rep('0', #submitted)
local diff = 0
for i = 1, #submitted do
  diff = bit.bor(diff, bit.bxor(string.byte(expected, i), string.byte(submitted, i)))
end

if present and diff == 0 then
  if state == ':used' then
    return { 4, 0 }
  end
  if state ~= '' then
    local leaseEnd = tonumber(string.match(state, '^:held:[^:]+:(%d+)$')) or 0
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    if leaseEnd > now then
      return { 3, leaseEnd - now }
    end
    -- An abandoned hold (its holder died or overran its lease) fails safe: the code stays spent.
    return { 4, 0 }
  end
  if ARGV[8] == '' then
    redis.call('SET', KEYS[1], stored .. ':used', 'KEEPTTL')
  else
    local time = redis.call('TIME')
    local leaseEnd = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[9])
    redis.call('SET', KEYS[1], stored .. ':held:' .. ARGV[8] .. ':' .. string.format('%d', leaseEnd), 'KEEPTTL')
  end
  redis.call('DEL', KEYS[2], KEYS[3])
  return { 1, 0 }
end

local maxFailures = tonumber(ARGV[2])
local longMax = tonumber(ARGV[5])

local failures = redis.call('INCR', KEYS[2])
if failures == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end

local longFailures = 0
if longMax > 0 then
  longFailures = redis.call('INCR', KEYS[3])
  if longFailures == 1 then
    redis.call('PEXPIRE', KEYS[3], ARGV[6])
  end
end

-- Each lock deletes the counter that caused it, so after the lock the count starts afresh.
local lockFor = 0
if longMax > 0 and longFailures >= longMax then
  lockFor = tonumber(ARGV[7])
  redis.call('DEL', KEYS[3])
end
if failures >= maxFailures then
  lockFor = math.max(lockFor, tonumber(ARGV[4]))
end
if lockFor > 0 then
  redis.call('SET', KEYS[4], '1', 'PX', lockFor)
  redis.call('DEL', KEYS[1], KEYS[2])
  return { 0, lockFor }
end

local remaining = maxFailures - failures
if longMax > 0 then
  remaining = math.min(remaining, longMax - longFailures)
end
return { 2, remaining }
