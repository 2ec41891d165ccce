import type { Cluster, Redis } from 'ioredis';
import { callOnce } from '@tses/redis-ratelimit';
import { OtpConfigError, OtpStoreError } from './errors.js';
import { defineSettleCommand, defineVerifyCommand } from './lib/lua-commands.js';
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
 * The Redis store: a code is one `SET … PX`, a verification one Lua script (`verifyOtp-4.lua`)
 * over keys that share a hash tag, settling a held code another (`settleOtpClaim-1.lua`), so it works on standalone Redis and on Redis Cluster alike.
 * Give it a client that never replays unanswered commands (`rateLimitRedisOptions` /
 * `rateLimitClusterOptions` of `@tses/redis-ratelimit`): a replayed verification would count one
 * failure twice. Set `commandTimeout` on the client to bound a command Redis does not answer.
 *
 * Every command goes through `callOnce` of `@tses/redis-ratelimit`: when the client, or on a
 * Cluster the node a key lives on, is still connecting, the command waits for it (up to
 * `timeoutMs`) instead of failing; it was never written, so this cannot count twice. A command
 * that may have reached Redis is never sent again.
 *
 * The limiter's own `Lockout` primitive is not used here on purpose: comparing the code and counting
 * the failure must be one step, or 50 concurrent wrong guesses could all be compared before the
 * fifth failure locks.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { rateLimitRedisOptions } from '@tses/redis-ratelimit';
 * const redis = new Redis(process.env.REDIS_URL!, { ...rateLimitRedisOptions, commandTimeout: 500 });
 * const store = new RedisOtpStore(redis, { timeoutMs: 500 });
 * ```
 */
export class RedisOtpStore implements OtpStore {
  readonly #client: Redis | Cluster;
  readonly #verify: string;
  readonly #settle: string;
  readonly #timeoutMs: number;

  /**
   * @param client - An ioredis `Redis` or `Cluster`; the caller owns (and closes) it.
   * @param options - `timeoutMs`: how long a call may wait for a connection that is not open yet
   *   (the client, or a Cluster node, still connecting) before it fails; default 500.
   * @throws OtpConfigError when `timeoutMs` is not a positive integer.
   */
  constructor(client: Redis | Cluster, options: { readonly timeoutMs?: number } = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new OtpConfigError(`timeoutMs must be a positive integer, got ${String(timeoutMs)}.`);
    }
    this.#client = client;
    this.#verify = defineVerifyCommand(client);
    this.#settle = defineSettleCommand(client);
    this.#timeoutMs = timeoutMs;
  }

  /** {@inheritDoc OtpStore.saveCode} */
  async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void> {
    try {
      await callOnce(this.#client, 'set', [keys.code, codeHash, 'PX', ttlMs], { timeoutMs: this.#timeoutMs });
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
      reply = await callOnce(
        this.#client,
        this.#verify,
        [
          keys.code,
          keys.failures,
          keys.longFailures,
          keys.lock,
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
      reply = await callOnce(this.#client, this.#settle, [keys.code, token, outcome], {
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
