import type { Middleware } from 'koa';
import type { RateLimiter, RateLimitRule } from '@tses/redis-ratelimit';
import { rateLimit } from '@tses/redis-ratelimit/koa';
import { RateLimitedProblem } from '../errors/auth-problems.js';

/** The name of the per-IP verification policy in `RateLimit-Policy` and `RateLimit`. */
export const VERIFY_IP_POLICY = 'otp-verify-ip';

/** What {@link createVerifyIpLimit} needs from `@tses/redis-ratelimit`'s `RateLimiter`. */
export type VerifyIpLimiter = Pick<RateLimiter, 'consume' | 'consumeAll'>;

/** Options of {@link createVerifyIpLimit}. */
export interface VerifyIpLimitOptions {
  /** A limiter that adds no prefix of its own (the key below is complete) and throws on faults. */
  readonly limiter: VerifyIpLimiter;
  /** The limit and window; named {@link VERIFY_IP_POLICY} so responses can describe it. */
  readonly rule: RateLimitRule;
  /** Prefix of the service's limit keys (`KeyLayout.limits`, e.g. `tses:rl:`). */
  readonly keyPrefix: string;
  /** Names a client IP without the address (`createIpPseudonym`). */
  readonly ipPseudonym: (clientIp: string) => string;
}

/**
 * The per-IP limit on code verification (guessing across many addresses from one client), as a
 * Koa middleware that the route runs once the body is valid, so a malformed request is not counted.
 * Its 429 is the service's `rate-limited` problem (`scope: "ip"`).
 */
export type VerifyIpLimit = Middleware;

/**
 * The per-IP verification limit, keyed `<keyPrefix>verify-ip:<pseudonym>`: the counter lives up to
 * a window (15 minutes) and its name never carries the address. The client is
 * `ctx.state.clientIp`, which honours the service's own `TRUST_PROXY` hops. The policy is reported
 * on the 429 only (`RateLimit-Policy`, `RateLimit`, `Retry-After`), as the API documents.
 *
 * @param options - Limiter, rule, key prefix and pseudonym function.
 * @returns The middleware; store faults reject with the limiter's `RateLimitError` (a 503).
 * @throws `RateLimitConfigError` when the rule has no usable name.
 * @example
 * ```ts
 * const limit = createVerifyIpLimit({ limiter, rule, keyPrefix: 'tses:rl:', ipPseudonym });
 * await limit(ctx, () => verify(ctx));
 * ```
 */
export function createVerifyIpLimit(options: VerifyIpLimitOptions): VerifyIpLimit {
  const { limiter, rule, ipPseudonym } = options;
  const prefix = `${options.keyPrefix}verify-ip:`;
  return rateLimit({
    limiter,
    rules: rule,
    failureMode: 'throw',
    headers: false,
    key: (ctx) => ipPseudonym(ctx.state.clientIp),
    storeKey: (pseudonym) => prefix + pseudonym,
    onLimited: (_ctx, info) => {
      throw new RateLimitedProblem('ip', info.retryAfterMs, info.headers);
    },
  });
}
