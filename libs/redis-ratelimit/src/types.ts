/**
 * Public types of `@tses/redis-ratelimit`. This file is the contract that `@tses/otp` and the
 * service build against: extend it, but do not change the meaning of a field.
 */

/** One fixed-window policy: at most `limit` hits per `windowMs`, the window opening at the first hit. */
export interface RateLimitRule {
  /** Policy name, used for the `RateLimit`/`RateLimit-Policy` header fields and to name the binding rule. */
  readonly name?: string;
  /** Hits allowed per window; a positive integer. */
  readonly limit: number;
  /** Window length in milliseconds; a positive integer (sub-second windows are allowed). */
  readonly windowMs: number;
  /** Count a hit even when it is denied (default `false`: a denied hit consumes nothing). */
  readonly countDenied?: boolean;
}

/** The answer to one `consume`/`peek`: a denial is a value, never a rejection. */
export interface RateLimitDecision {
  /** Whether this hit is admitted. */
  readonly allowed: boolean;
  /** The rule's `limit`. */
  readonly limit: number;
  /** Hits left in the current window after this one (never negative). */
  readonly remaining: number;
  /** `0` when allowed; when denied, the time until the window ends from Redis `PTTL`, rounded up to whole seconds and at least 1000. */
  readonly retryAfterMs: number;
  /** Milliseconds until the current window ends (`0` when no window is open). */
  readonly resetInMs: number;
}

/** One entry of an all-or-nothing `consumeAll`. */
export interface RateLimitItem {
  readonly key: string;
  readonly rule: RateLimitRule;
}

/** The answer to `consumeAll`: either every rule counted the hit, or none did. */
export interface RateLimitAllDecision {
  readonly allowed: boolean;
  /** One decision per item, in the order given. */
  readonly decisions: readonly RateLimitDecision[];
  /** When denied: the index of the binding item (the exhausted rule with the longest retry-after). */
  readonly blockedIndex?: number;
  /** When denied: the binding item itself. */
  readonly blockedBy?: RateLimitItem;
  /** `0` when allowed; otherwise the longest retry-after among the exhausted rules. */
  readonly retryAfterMs: number;
}

/** What the limiter does when Redis fails (unreachable, timeout, error reply). */
export type FailureMode = 'throw' | 'allow' | 'deny';

/** "N failures in a window, then locked for a while." */
export interface LockoutPolicy {
  /** The failure that reaches this count locks the subject. */
  readonly maxFailures: number;
  /** The failure-counting window in milliseconds (opens at the first failure). */
  readonly windowMs: number;
  /** How long a lock lasts, in milliseconds (defaults to `windowMs`). */
  readonly lockMs?: number;
}

/** State of one lockout subject after `fail`/`check`/`clear`. */
export interface LockoutState {
  readonly locked: boolean;
  /** Failures counted in the current window. */
  readonly failures: number;
  /** Failures left before the lock (0 when locked). */
  readonly attemptsRemaining: number;
  /** Milliseconds until the lock ends, from Redis `PTTL` (0 when not locked). */
  readonly lockedForMs: number;
}
