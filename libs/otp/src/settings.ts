/**
 * Every number `@tses/otp` uses; each one is configurable. Durations are in milliseconds.
 *
 * @example
 * ```ts
 * const settings: Partial<OtpSettings> = { codeTtlMs: 10 * 60_000, longMaxFailures: 50 };
 * new Otp({ serverSecret, store, limiter, settings });
 * ```
 */
export interface OtpSettings {
  /** Digits in a code (default 6; 4–10). */
  readonly codeLength: number;
  /** How long a code stays valid (default 5 minutes). */
  readonly codeTtlMs: number;
  /** Codes one email may request per window (default 3). */
  readonly emailRequestLimit: number;
  /** The email request window (default 10 minutes). */
  readonly emailRequestWindowMs: number;
  /** Codes one IP (or IPv6 network) may request per window (default 10). */
  readonly ipRequestLimit: number;
  /** The IP request window (default 1 hour). */
  readonly ipRequestWindowMs: number;
  /** The failed verification that reaches this count locks the email (default 5). */
  readonly maxFailures: number;
  /** Failures count within this window, opened by the first failure (default 15 minutes). */
  readonly failureWindowMs: number;
  /** How long the short lock lasts (default 15 minutes). */
  readonly lockMs: number;
  /** Long-window cap: the failure that reaches this count locks for `longLockMs` (default 20; 0 disables the cap). */
  readonly longMaxFailures: number;
  /** The long failure window (default 24 hours). */
  readonly longFailureWindowMs: number;
  /** How long the long lock lasts (default 24 hours). */
  readonly longLockMs: number;
  /** Bits of an IPv6 address that identify one client for the IP limit (default 64). */
  readonly ipv6PrefixLength: number;
  /**
   * How long {@link Otp.redeem} may hold a right code while its work runs (default 30 seconds).
   * Meanwhile the code answers `in_progress`; after it, a hold that was never settled counts as
   * spent, and a late release is refused. Keep it above the work's worst case (its timeouts).
   */
  readonly claimLeaseMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The defaults: the assessment's numbers (3 codes per email per 10 minutes, 10 per IP per hour,
 * 5-minute codes, 5 failures per 15 minutes lock the email) plus a long-window cap of 20
 * failures per 24 hours that locks for 24 hours. See {@link guessBudgetPerDay}.
 *
 * @example
 * ```ts
 * new Otp({ serverSecret, store, limiter, settings: { ...OTP_DEFAULTS, codeTtlMs: 10 * 60_000 } });
 * ```
 */
export const OTP_DEFAULTS: OtpSettings = Object.freeze({
  codeLength: 6,
  codeTtlMs: 5 * MINUTE,
  emailRequestLimit: 3,
  emailRequestWindowMs: 10 * MINUTE,
  ipRequestLimit: 10,
  ipRequestWindowMs: HOUR,
  maxFailures: 5,
  failureWindowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  longMaxFailures: 20,
  longFailureWindowMs: DAY,
  longLockMs: DAY,
  ipv6PrefixLength: 64,
  claimLeaseMs: 30_000,
});

/**
 * An upper bound on the codes an attacker can try against one email in any 24 hours.
 *
 * Each lock deletes the counter that caused it, so a fast attacker gets `maxFailures` guesses per
 * `lockMs` and a slow one `maxFailures - 1` per `failureWindowMs`; the long cap bounds both the
 * same way with its own numbers. The defaults give min(480, 20) = **20 guesses a day**
 * (without the long cap: 480), against 10^6 possible codes: a 2·10^-5 chance a day. At most 100
 * consecutive failures are allowed by NIST SP 800-63B §5.2.2.
 *
 * @param settings - The settings to evaluate (default {@link OTP_DEFAULTS}).
 * @returns The maximum number of verification attempts that compare a code, per 24 hours.
 * @example
 * ```ts
 * guessBudgetPerDay()                                        // 20
 * guessBudgetPerDay({ ...OTP_DEFAULTS, longMaxFailures: 0 }) // 480
 * ```
 */
export function guessBudgetPerDay(settings: OtpSettings = OTP_DEFAULTS): number {
  const bound = (max: number, windowMs: number, lockMs: number) =>
    Math.max(max * Math.ceil(DAY / lockMs), (max - 1) * Math.ceil(DAY / windowMs));
  const short = bound(settings.maxFailures, settings.failureWindowMs, settings.lockMs);
  if (settings.longMaxFailures <= 0) return short;
  return Math.min(short, bound(settings.longMaxFailures, settings.longFailureWindowMs, settings.longLockMs));
}
