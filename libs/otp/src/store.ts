/**
 * The storage contract behind `Otp`. Two implementations ship (`RedisOtpStore`,
 * `MemoryOtpStore`); another backend (a database) implements these two methods with the same
 * atomicity: one `verifyCode` must behave as if no other call ran during it.
 */

/**
 * The names under which one email's state is stored. All four carry the same Redis Cluster hash
 * tag (`{…}`), so one script can touch them all; none contains the raw email.
 *
 * @example
 * ```ts
 * // { code: 'otp:{e:3q2-7wEv…}:code', failures: 'otp:{e:3q2-7wEv…}:fail', … }
 * async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number) { await db.upsert(keys.code, codeHash, ttlMs); }
 * ```
 */
export interface OtpSubjectKeys {
  /** The current code's HMAC (expires with the code). */
  readonly code: string;
  /** Failed verifications in the short window. */
  readonly failures: string;
  /** Failed verifications in the long window. */
  readonly longFailures: string;
  /** Present while the email is locked. */
  readonly lock: string;
}

/**
 * The lockout numbers a store applies in `verifyCode` (milliseconds).
 *
 * @example
 * ```ts
 * const policy: OtpLockoutPolicy = { maxFailures: 5, failureWindowMs: 900_000, lockMs: 900_000,
 *   longMaxFailures: 20, longFailureWindowMs: 86_400_000, longLockMs: 86_400_000 };
 * ```
 */
export interface OtpLockoutPolicy {
  readonly maxFailures: number;
  readonly failureWindowMs: number;
  readonly lockMs: number;
  /** 0 disables the long-window cap. */
  readonly longMaxFailures: number;
  readonly longFailureWindowMs: number;
  readonly longLockMs: number;
}

/**
 * What a store answers to one verification.
 *
 * @example
 * ```ts
 * const verdict: OtpStoreVerdict = await store.verifyCode(keys, codeHash, policy);
 * ```
 */
export type OtpStoreVerdict =
  | { readonly status: 'verified' }
  | { readonly status: 'invalid'; readonly attemptsRemaining: number }
  | { readonly status: 'locked'; readonly retryAfterMs: number };

/**
 * Storage for codes, failure counters and locks.
 *
 * @example
 * ```ts
 * class PostgresOtpStore implements OtpStore {
 *   async saveCode(keys, codeHash, ttlMs) { … }  // upsert, replacing any previous code
 *   async verifyCode(keys, codeHash, policy) { … } // one transaction with SELECT … FOR UPDATE
 * }
 * ```
 */
export interface OtpStore {
  /**
   * Stores a code's hash for `ttlMs`, replacing the previous code; failure counters are untouched.
   *
   * @param keys - Where the subject's state lives.
   * @param codeHash - 64 hex characters: HMAC-SHA-256 of the email and the code.
   * @param ttlMs - The code's lifetime.
   * @throws OtpStoreError when the backend fails.
   */
  saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void>;

  /**
   * Atomically: locked → `locked`; hash matches → delete the code, clear failures → `verified`;
   * otherwise count a failure, lock on reaching a limit (deleting the code) → `invalid` or `locked`.
   *
   * @param keys - Where the subject's state lives.
   * @param codeHash - 64 hex characters: HMAC-SHA-256 of the email and the submitted code.
   * @param policy - The lockout numbers.
   * @returns The verdict.
   * @throws OtpStoreError when the backend fails.
   */
  verifyCode(keys: OtpSubjectKeys, codeHash: string, policy: OtpLockoutPolicy): Promise<OtpStoreVerdict>;
}
