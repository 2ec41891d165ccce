import { redisScriptClient, runRedisScript, type RedisClient } from '@tses/redis-ratelimit';
import { OtpConfigError, OtpStoreError } from './errors.js';
import { OTP_SCRIPTS } from './lib/lua-commands.js';
import type {
  OtpClaim,
  OtpClaimSettlement,
  OtpLockoutPolicy,
  OtpStore,
  OtpStoreVerdict,
  OtpSubjectKeys,
} from './store.js';

const DEFAULT_TIMEOUT_MS = 500;

/**
 * The Redis store: storing a code is one Lua script (`storeCode-1.lua`, a `SET … PX`), a
 * verification another (`verifyOtp-4.lua`) over keys that share a hash tag, and settling a held
 * code a third (`settleOtpClaim-1.lua`), so it works on
 * standalone Redis and on Redis Cluster alike, with any client `@tses/redis-ratelimit` accepts:
 * ioredis 5/6 or iovalkey (created with `rateLimitRedisOptions` / `rateLimitClusterOptions`, so
 * nothing is replayed: a replayed verification would count one failure twice), node-redis 5/6,
 * or a `RedisScriptClient`.
 *
 * Every call goes through `runRedisScript` of `@tses/redis-ratelimit`: when the client, or on a
 * Cluster the node a key lives on, is still connecting, the call waits for it instead of
 * failing; it was never written, so this cannot count twice. A call that may have reached Redis
 * is never sent again, and none is written or awaited past `timeoutMs`.
 *
 * The limiter's own `Lockout` primitive is not used here on purpose: comparing the code and counting
 * the failure must be one step, or 50 concurrent wrong guesses could all be compared before the
 * fifth failure locks.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { rateLimitRedisOptions } from '@tses/redis-ratelimit';
 * const redis = new Redis(process.env.REDIS_URL!, { ...rateLimitRedisOptions });
 * const store = new RedisOtpStore(redis, { timeoutMs: 500 });
 * ```
 */
export class RedisOtpStore implements OtpStore {
  readonly #client: RedisClient;
  readonly #timeoutMs: number;

  /**
   * @param client - A Redis client `@tses/redis-ratelimit` accepts (ioredis/iovalkey `Redis` or
   *   `Cluster`, node-redis client or cluster, a `RedisScriptClient`); the caller owns (and closes) it.
   * @param options - `timeoutMs`: each call's deadline, waiting for a connection that is not open
   *   yet (the client, or a Cluster node, still connecting) included; default 500.
   * @throws OtpConfigError when `timeoutMs` is not a positive integer, or the client is not
   *   supported or could replay a call (the message names the client and the setting).
   */
  constructor(client: RedisClient, options: { readonly timeoutMs?: number } = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new OtpConfigError(`timeoutMs must be a positive integer, got ${String(timeoutMs)}.`);
    }
    try {
      redisScriptClient(client);
    } catch (error) {
      throw new OtpConfigError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    this.#client = client;
    this.#timeoutMs = timeoutMs;
  }

  /** {@inheritDoc OtpStore.saveCode} */
  async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void> {
    try {
      await runRedisScript(this.#client, OTP_SCRIPTS.storeCode, [keys.code], [codeHash, ttlMs], {
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      throw new OtpStoreError('Redis failed to store the code.', { cause: error });
    }
  }

  /** {@inheritDoc OtpStore.verifyCode} */
  async verifyCode(
    keys: OtpSubjectKeys,
    codeHash: string,
    policy: OtpLockoutPolicy,
    claim?: OtpClaim,
  ): Promise<OtpStoreVerdict> {
    let reply: unknown;
    try {
      reply = await runRedisScript(
        this.#client,
        OTP_SCRIPTS.verifyOtp,
        [keys.code, keys.failures, keys.longFailures, keys.lock],
        [
          codeHash,
          policy.maxFailures,
          policy.failureWindowMs,
          policy.lockMs,
          policy.longMaxFailures,
          policy.longFailureWindowMs,
          policy.longLockMs,
          claim?.token ?? '',
          claim?.leaseMs ?? 0,
        ],
        { timeoutMs: this.#timeoutMs },
      );
    } catch (error) {
      throw new OtpStoreError('Redis failed to verify the code.', { cause: error });
    }
    return parseVerdict(reply);
  }

  /** {@inheritDoc OtpStore.settleClaim} */
  async settleClaim(
    keys: OtpSubjectKeys,
    token: string,
    outcome: 'commit' | 'release',
  ): Promise<OtpClaimSettlement> {
    let reply: unknown;
    try {
      reply = await runRedisScript(this.#client, OTP_SCRIPTS.settleOtpClaim, [keys.code], [token, outcome], {
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      throw new OtpStoreError(`Redis failed to ${outcome} the claim on the code.`, { cause: error });
    }
    const settlement = SETTLEMENTS.get(Number(reply));
    if (settlement === undefined) {
      throw new OtpStoreError(`Unexpected reply from the settle script: ${JSON.stringify(reply)}.`);
    }
    return settlement;
  }
}

const SETTLEMENTS = new Map<number, OtpClaimSettlement>([
  [1, 'committed'],
  [2, 'released'],
  [0, 'not_held'],
  [-1, 'lease_expired'],
]);

function parseVerdict(reply: unknown): OtpStoreVerdict {
  const [status, value] = Array.isArray(reply) ? (reply as unknown[]).map(Number) : [];
  if (status === 1) return { status: 'verified' };
  if (status === 2 && Number.isInteger(value)) return { status: 'invalid', attemptsRemaining: value! };
  if (status === 0 && Number.isInteger(value)) return { status: 'locked', retryAfterMs: value! };
  if (status === 3 && Number.isInteger(value)) return { status: 'in_progress', retryAfterMs: value! };
  if (status === 4) return { status: 'used' };
  throw new OtpStoreError(`Unexpected reply from the verify script: ${JSON.stringify(reply)}.`);
}
