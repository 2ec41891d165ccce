import type { RateLimitDecision, RateLimitRule } from '@tses/redis-ratelimit';
import type { EmailProblem } from '@tses/core';

/**
 * Input of {@link Otp.request}.
 *
 * @example
 * ```ts
 * const input: OtpRequestInput = { email: ctx.request.body.email, ip: ctx.ip };
 * ```
 */
export interface OtpRequestInput {
  /** The address as the user typed it; normalised before use. */
  readonly email: string;
  /** The client IP (from the socket or a trusted proxy header). */
  readonly ip: string;
}

/**
 * Input of {@link Otp.verify}.
 *
 * @example
 * ```ts
 * const input: OtpVerifyInput = { email: 'user@example.com', otp: '042517' };
 * ```
 */
export interface OtpVerifyInput {
  /** The address as the user typed it; normalised before use. */
  readonly email: string;
  /** The code as the user typed it (surrounding whitespace is ignored). */
  readonly otp: string;
}

/**
 * The email was rejected by `normalizeEmail`; nothing was counted or stored.
 *
 * @example
 * ```ts
 * if (result.status === 'invalid_email') return badRequest(result.message);
 * ```
 */
export interface OtpInvalidEmail {
  readonly status: 'invalid_email';
  readonly problem: EmailProblem;
  readonly message: string;
}

/**
 * Which request limit: the address's or the client IP's (an IPv6 network by default).
 *
 * @example
 * ```ts
 * const scope: OtpRateLimitScope = result.status === 'rate_limited' ? result.scope : 'email';
 * ```
 */
export type OtpRateLimitScope = 'email' | 'ip';

/**
 * A request rule of {@link Otp}: always named (`otp-email`, `otp-ip`), so it opts in to the
 * `RateLimit-Policy` / `RateLimit` header fields of `@tses/redis-ratelimit`.
 *
 * @example
 * ```ts
 * const rule: OtpRateLimitRule = { name: 'otp-email', limit: 3, windowMs: 600_000 };
 * ```
 */
export type OtpRateLimitRule = RateLimitRule & { readonly name: string };

/**
 * One request limit as a {@link Otp.request} call met it: the rule and the limiter's decision for
 * it. It has the shape of `@tses/redis-ratelimit`'s `RateLimitHeaderPolicy`, so a result's
 * `rateLimits` renders as response headers with `rateLimitHeaders` as is.
 *
 * In a refused request the exhausted rule reports `allowed: false` with `remaining: 0` and its
 * retry-after; a rule that still had room reports `allowed: true` with its unconsumed `remaining`
 * (nothing was counted), and `resetInMs: 0` when its window is not open.
 *
 * @example
 * ```ts
 * import { rateLimitHeaders } from '@tses/redis-ratelimit';
 * const r = await otp.request({ email, ip });
 * if (r.status !== 'invalid_email') ctx.set(rateLimitHeaders(r.rateLimits));
 * // RateLimit-Policy: "otp-email";q=3;w=600, "otp-ip";q=10;w=3600
 * // RateLimit: "otp-email";r=2;t=600, "otp-ip";r=9;t=3600
 * ```
 */
export interface OtpRateLimit {
  /** `email` for the `otp-email` rule, `ip` for `otp-ip`. */
  readonly scope: OtpRateLimitScope;
  /** The rule as configured: `name`, `limit` and `windowMs` (from the `OtpSettings`). */
  readonly rule: OtpRateLimitRule;
  /** The limiter's decision for this rule in this call. */
  readonly decision: RateLimitDecision;
}

/**
 * The answer to {@link Otp.request}.
 *
 * @example
 * ```ts
 * const r: OtpRequestResult = await otp.request({ email, ip });
 * if (r.status === 'issued') await mailer.send(r.email, r.code);
 * if (r.status !== 'invalid_email') ctx.set(rateLimitHeaders(r.rateLimits)); // @tses/redis-ratelimit
 * ```
 */
export type OtpRequestResult =
  | {
      readonly status: 'issued';
      /** The code to deliver to `email`; it is stored only as an HMAC. */
      readonly code: string;
      /** The normalised address the code is bound to. */
      readonly email: string;
      readonly expiresAt: Date;
      readonly expiresInMs: number;
      /** The email and IP rules with their decisions (remaining after this request), email first. */
      readonly rateLimits: readonly OtpRateLimit[];
    }
  | {
      readonly status: 'rate_limited';
      /** The limit that refused: the email's or the IP's (the longer wait when both). */
      readonly scope: OtpRateLimitScope;
      readonly retryAfterMs: number;
      /** The email and IP rules with their decisions (nothing was counted), email first. */
      readonly rateLimits: readonly OtpRateLimit[];
    }
  | OtpInvalidEmail;

/**
 * The answer to {@link Otp.verify}. `used` and `in_progress` answer the right code only, and
 * neither counts a failure: the code was spent already, or another request holds it right now
 * (retry after `retryAfterMs`: if that request fails, the code becomes usable again).
 *
 * @example
 * ```ts
 * const r: OtpVerifyResult = await otp.verify({ email, otp: code });
 * if (r.status === 'locked') ctx.set('Retry-After', String(Math.ceil(r.retryAfterMs / 1000)));
 * ```
 */
export type OtpVerifyResult =
  | { readonly status: 'verified'; /** The normalised address. */ readonly email: string }
  | {
      readonly status: 'invalid';
      /** Failed attempts left before the email locks (at least 1). */
      readonly attemptsRemaining: number;
    }
  | {
      readonly status: 'locked';
      /** Time until the lock ends, from the store's own clock (Redis `PTTL`). */
      readonly retryAfterMs: number;
      readonly unlocksAt: Date;
    }
  | OtpCodeUsed
  | OtpCodeInProgress
  | OtpInvalidEmail;

/**
 * The right code, already spent: a repeated submission (a double click, a retry after a lost
 * response). Not a failed guess.
 *
 * @example
 * ```ts
 * if (result.status === 'used') return conflict('This code was already used; request a new one.');
 * ```
 */
export interface OtpCodeUsed {
  readonly status: 'used';
}

/**
 * The right code, held by another request that is signing in with it right now. Not a failed
 * guess. If that request fails, the code becomes usable again: retry after `retryAfterMs`.
 *
 * @example
 * ```ts
 * if (result.status === 'in_progress') ctx.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
 * ```
 */
export interface OtpCodeInProgress {
  readonly status: 'in_progress';
  /** At most the time left on the other request's hold (`claimLeaseMs`). */
  readonly retryAfterMs: number;
}

/**
 * The answer to {@link Otp.redeem}: `verified` carries what the work returned; every other
 * answer is {@link Otp.verify}'s, and the work did not run.
 *
 * @example
 * ```ts
 * const r: OtpRedeemResult<Session> = await otp.redeem({ email, otp }, ({ email }) => sessions.create(email));
 * if (r.status === 'verified') respond(r.value);
 * ```
 */
export type OtpRedeemResult<T> =
  | {
      readonly status: 'verified';
      /** The normalised address. */
      readonly email: string;
      /** What the work resolved to. */
      readonly value: T;
    }
  | Exclude<OtpVerifyResult, { readonly status: 'verified' }>;
