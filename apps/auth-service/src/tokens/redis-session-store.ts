import type { Redis } from 'ioredis';
import type { ConsumeOutcome, SessionStore } from './session-store.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  readonly redis: Redis;
  /** Key prefix, e.g. `auth:` (tests use a random one). */
  readonly prefix?: string;
}

/**
 * {@link SessionStore} on Redis. Keys of one session share the `{sessionId}` hash tag, so the
 * MULTI below stays in one slot on Redis Cluster. No Lua needed: GETDEL is the atomic take.
 *
 * Keys: `<prefix>rt:{sid}:<jti>` (live refresh token, TTL = its lifetime) and
 * `<prefix>revoked:{sid}` (revocation marker, TTL ≥ the longest token lifetime).
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisSessionStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'auth:';
  }

  #tokenKey(sessionId: string, tokenId: string): string {
    return `${this.#prefix}rt:{${sessionId}}:${tokenId}`;
  }

  #revokedKey(sessionId: string): string {
    return `${this.#prefix}revoked:{${sessionId}}`;
  }

  async register(sessionId: string, tokenId: string, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#tokenKey(sessionId, tokenId), '1', 'PX', ttlMs);
  }

  async consume(sessionId: string, tokenId: string): Promise<ConsumeOutcome> {
    const results = await this.#redis
      .multi()
      .getdel(this.#tokenKey(sessionId, tokenId))
      .exists(this.#revokedKey(sessionId))
      .exec();
    if (results === null) throw new Error('Redis transaction aborted');
    for (const [error] of results) if (error) throw error;
    const [taken, revoked] = results.map(([, value]) => value);
    if (revoked === 1) return 'revoked';
    return taken === null ? 'reused' : 'rotated';
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#revokedKey(sessionId), '1', 'PX', ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.#redis.exists(this.#revokedKey(sessionId))) === 1;
  }
}
