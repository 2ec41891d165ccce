import type { RateLimitAllDecision, RateLimitItem } from '@tses/redis-ratelimit';

/**
 * What `Otp` needs from a rate limiter: the all-or-nothing `consumeAll` of
 * `@tses/redis-ratelimit`. Its `RateLimiter` (on Redis, Redis Cluster or in memory) fits as is.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@tses/redis-ratelimit';
 * const limiter: OtpRequestLimiter = new RateLimiter({ redis, keyPrefix: '', failureMode: 'throw' });
 * ```
 */
export interface OtpRequestLimiter {
  /**
   * Counts one hit against every item, or against none when any is exhausted.
   *
   * @param items - `[email item, IP item]`, in that order.
   * @returns The decision: one entry of `decisions` per item, in order (`Otp` hands them on as the
   *   results' `rateLimits`); `blockedIndex` names the binding item when denied.
   */
  consumeAll(items: readonly RateLimitItem[]): Promise<RateLimitAllDecision>;
}
