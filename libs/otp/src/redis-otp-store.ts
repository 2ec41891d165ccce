import type { Cluster, Redis } from 'ioredis';
import { OtpStoreError } from './errors.js';
import { verifyCommand } from './lib/lua-commands.js';
import type { OtpLockoutPolicy, OtpStore, OtpStoreVerdict, OtpSubjectKeys } from './store.js';

/**
 * The Redis store: a code is one `SET … PX`, a verification one Lua script (`verifyOtp-4.lua`)
 * over keys that share a hash tag, so it works on standalone Redis and on Redis Cluster alike.
 * Set `commandTimeout` on the client, and no replay of unanswered commands (`rateLimitRedisOptions`
 * of `@tses/redis-ratelimit`): a replayed verification would count one failure twice.
 *
 * The limiter's own `Lockout` primitive is not used here on purpose: comparing the code and counting
 * the failure must be one step, or 50 concurrent wrong guesses could all be compared before the
 * fifth failure locks.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const store = new RedisOtpStore(new Redis(process.env.REDIS_URL!, { commandTimeout: 500 }));
 * ```
 */
export class RedisOtpStore implements OtpStore {
  readonly #client: Redis | Cluster;

  /** @param client - A connected ioredis `Redis` or `Cluster`; the caller owns (and closes) it. */
  constructor(client: Redis | Cluster) {
    this.#client = client;
  }

  /** {@inheritDoc OtpStore.saveCode} */
  async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void> {
    try {
      await this.#client.set(keys.code, codeHash, 'PX', ttlMs);
    } catch (error) {
      throw new OtpStoreError('Redis failed to store the code.', { cause: error });
    }
  }

  /** {@inheritDoc OtpStore.verifyCode} */
  async verifyCode(
    keys: OtpSubjectKeys,
    codeHash: string,
    policy: OtpLockoutPolicy,
  ): Promise<OtpStoreVerdict> {
    let reply: unknown;
    try {
      reply = await verifyCommand(this.#client)(
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
      );
    } catch (error) {
      throw new OtpStoreError('Redis failed to verify the code.', { cause: error });
    }
    return parseVerdict(reply);
  }
}

function parseVerdict(reply: unknown): OtpStoreVerdict {
  const [status, value] = Array.isArray(reply) ? (reply as unknown[]).map(Number) : [];
  if (status === 1) return { status: 'verified' };
  if (status === 2 && Number.isInteger(value)) return { status: 'invalid', attemptsRemaining: value! };
  if (status === 0 && Number.isInteger(value)) return { status: 'locked', retryAfterMs: value! };
  throw new OtpStoreError(`Unexpected reply from the verify script: ${JSON.stringify(reply)}.`);
}
