/** The service's default Redis key prefix (tests and benchmarks use a random one). */
export const DEFAULT_KEY_PREFIX = 'tses:';

/**
 * Where each concern keeps its Redis keys: one prefix each, under the service prefix, and every
 * key named exactly once. With the default prefix (README "Redis keys"):
 *
 * - `tses:otp:{e:<id>}:code|fail|fail:long|lock|req`, `tses:otp:{i:<id>}:req`: `@tses/otp` names
 *   these itself, request windows included (its limiter adds no prefix of its own);
 * - `tses:rl:verify-ip:<id>`: the service's own limits;
 * - `tses:auth:rt:{<sid>}:<jti>`, `tses:auth:revoked:{<sid>}`: refresh-token sessions.
 *
 * `<id>` is an HMAC pseudonym, never an address. The keys of one multi-key operation share a hash
 * tag (`{e:<id>}`, `{<sid>}`), so each runs in one slot on a Redis Cluster. BullMQ's keys live
 * under `QUEUE_PREFIX` (default `tses`, giving `tses:otp-email:…` and `tses:audit:…`; on a
 * Cluster the hash tag `{tses}`, giving `{tses}:otp-email:…`).
 */
export interface KeyLayout {
  /** `Otp`'s `keyPrefix`. */
  readonly otp: string;
  /** Prefix of the service's own rate-limit windows. */
  readonly limits: string;
  /** `RedisSessionStore`'s `prefix`. */
  readonly sessions: string;
}

/**
 * The key layout under one service prefix.
 *
 * @param prefix - The service prefix, ending in `:` (default `tses:`).
 * @returns The prefix of each concern.
 * @example
 * ```ts
 * keyLayout('tses:').limits; // 'tses:rl:'
 * ```
 */
export function keyLayout(prefix: string = DEFAULT_KEY_PREFIX): KeyLayout {
  return { otp: `${prefix}otp:`, limits: `${prefix}rl:`, sessions: `${prefix}auth:` };
}
