import type { Cluster, Redis } from 'ioredis';
import type { ConsumeOutcome, SessionStore } from './session-store.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** One server, or a Redis Cluster: the keys of one session share a hash tag. */
  readonly redis: Redis | Cluster;
  /** Key prefix, e.g. `auth:` (tests use a random one). */
  readonly prefix?: string;
}

/**
 * {@link SessionStore} on Redis. Keys of one session share the `{sessionId}` hash tag, so the
 * MULTI below stays in one slot on Redis Cluster. No Lua needed: GETDEL is the atomic take.
 *
 * Keys: `<prefix>rt:{sid}:<jti>` (live refresh token, TTL = its lifetime),
 * `<prefix>session:{sid}` (the session exists; TTL = the latest refresh token's lifetime) and
 * `<prefix>revoked:{sid}` (revocation marker, TTL ≥ the longest token lifetime).
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis | Cluster;
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

  #sessionKey(sessionId: string): string {
    return `${this.#prefix}session:{${sessionId}}`;
  }

  static #check(results: [Error | null, unknown][] | null): unknown[] {
    if (results === null) throw new Error('Redis transaction aborted');
    for (const [error] of results) if (error) throw error;
    return results.map(([, value]) => value);
  }

  async register(sessionId: string, tokenId: string, ttlMs: number): Promise<void> {
    RedisSessionStore.#check(
      await this.#redis
        .multi()
        .set(this.#tokenKey(sessionId, tokenId), '1', 'PX', ttlMs)
        .set(this.#sessionKey(sessionId), '1', 'PX', ttlMs)
        .exec(),
    );
  }

  async consume(sessionId: string, tokenId: string): Promise<ConsumeOutcome> {
    const results = await this.#redis
      .multi()
      .getdel(this.#tokenKey(sessionId, tokenId))
      .exists(this.#revokedKey(sessionId))
      .exec();
    const [taken, revoked] = RedisSessionStore.#check(results);
    if (revoked === 1) return 'revoked';
    return taken === null ? 'reused' : 'rotated';
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    RedisSessionStore.#check(
      await this.#redis
        .multi()
        .set(this.#revokedKey(sessionId), '1', 'PX', ttlMs)
        .del(this.#sessionKey(sessionId))
        .exec(),
    );
  }

  async isActive(sessionId: string): Promise<boolean> {
    // Both keys: a refresh racing a revocation may re-create the marker, never un-revoke.
    const [live, revoked] = await this.#redis.mget(this.#sessionKey(sessionId), this.#revokedKey(sessionId));
    return live !== null && revoked === null;
  }
}
