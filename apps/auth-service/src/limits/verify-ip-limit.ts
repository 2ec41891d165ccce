import type { RateLimitDecision, RateLimitHeaderPolicy, RateLimitRule } from '@tses/redis-ratelimit';

/** The name of the per-IP verification policy in `RateLimit-Policy` and `RateLimit`. */
export const VERIFY_IP_POLICY = 'otp-verify-ip';

/** What {@link createVerifyIpLimit} needs from `@tses/redis-ratelimit`'s `RateLimiter`. */
export interface VerifyIpLimiter {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/** Options of {@link createVerifyIpLimit}. */
export interface VerifyIpLimitOptions {
  /** A limiter that adds no prefix of its own (the key below is complete). */
  readonly limiter: VerifyIpLimiter;
  /** The limit and window; named {@link VERIFY_IP_POLICY} so responses can describe it. */
  readonly rule: RateLimitRule;
  /** Prefix of the service's limit keys (`KeyLayout.limits`, e.g. `tses:rl:`). */
  readonly keyPrefix: string;
  /** Names a client IP without the address (`createIpPseudonym`). */
  readonly ipPseudonym: (clientIp: string) => string;
}

/** The per-IP limit on code verification: guessing across many addresses from one client. */
export interface VerifyIpLimit {
  /**
   * Counts one verification attempt for a client.
   *
   * @param clientIp - `ctx.state.clientIp`.
   * @returns The rule and its decision, ready for `rateLimitHeaders`.
   */
  consume(clientIp: string): Promise<RateLimitHeaderPolicy>;
}

/**
 * The per-IP verification limit, keyed `<keyPrefix>verify-ip:<pseudonym>`: the counter lives up to
 * a window (15 minutes) and its name never carries the address.
 *
 * @param options - Limiter, rule, key prefix and pseudonym function.
 * @returns The limit.
 * @throws Never; `consume` rejects with the limiter's fault (`RateLimitError`, a 503).
 * @example
 * ```ts
 * const limit = createVerifyIpLimit({ limiter, rule, keyPrefix: 'tses:rl:', ipPseudonym });
 * const { rule, decision } = await limit.consume(ctx.state.clientIp);
 * if (!decision.allowed) ctx.set(rateLimitHeaders([{ rule, decision }]));
 * ```
 */
export function createVerifyIpLimit(options: VerifyIpLimitOptions): VerifyIpLimit {
  const { limiter, rule, ipPseudonym } = options;
  const prefix = `${options.keyPrefix}verify-ip:`;
  return {
    async consume(clientIp) {
      const decision = await limiter.consume(prefix + ipPseudonym(clientIp), rule);
      return { rule, decision };
    },
  };
}
