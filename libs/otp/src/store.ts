/**
 * The storage contract behind `Otp`. Two implementations ship (`RedisOtpStore`,
 * `MemoryOtpStore`); another backend (a database) implements these three methods with the same
 * atomicity: one `verifyCode` or `settleClaim` must behave as if no other call ran during it.
 */
import type { OtpSettings } from './settings.js';

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
 * The lockout numbers a store applies in `verifyCode`: the six lockout fields of
 * {@link OtpSettings}, as configured (milliseconds; `longMaxFailures` 0 disables the long cap).
 *
 * @example
 * ```ts
 * const policy: OtpLockoutPolicy = { maxFailures: 5, failureWindowMs: 900_000, lockMs: 900_000,
 *   longMaxFailures: 20, longFailureWindowMs: 86_400_000, longLockMs: 86_400_000 };
 * ```
 */
export type OtpLockoutPolicy = Pick<
  OtpSettings,
  'maxFailures' | 'failureWindowMs' | 'lockMs' | 'longMaxFailures' | 'longFailureWindowMs' | 'longLockMs'
>;

/**
 * A hold on a right code (two-phase verification): the code is neither usable nor spent until its
 * holder settles it with {@link OtpStore.settleClaim}, or until the lease ends, after which it
 * counts as spent (an abandoned hold fails safe).
 *
 * @example
 * ```ts
 * const claim: OtpClaim = { token: randomUUID(), leaseMs: 30_000 };
 * const verdict = await store.verifyCode(keys, codeHash, policy, claim);
 * ```
 */
export interface OtpClaim {
  /** Who holds the code: only this token settles it. Unguessable, without `:` (a UUID). */
  readonly token: string;
  /** How long the hold lasts, in milliseconds. */
  readonly leaseMs: number;
}

/**
 * How a store settled a hold ({@link OtpStore.settleClaim}).
 *
 * - `committed`: the code is spent (honoured even after the lease ended).
 * - `released`: the code is usable again, with its original expiry.
 * - `not_held`: this token holds nothing (the code expired, was replaced, was deleted by a lock,
 *   or the claim was settled already); nothing changed.
 * - `lease_expired`: a release after the lease ended; refused, so the code stays spent.
 *
 * @example
 * ```ts
 * const settled: OtpClaimSettlement = await store.settleClaim(keys, claim.token, 'release');
 * ```
 */
export type OtpClaimSettlement = 'committed' | 'released' | 'not_held' | 'lease_expired';

/**
 * What a store answers to one verification. `used` and `in_progress` answer the right code only
 * (spent, or held by another claim) and count no failure.
 *
 * @example
 * ```ts
 * const verdict: OtpStoreVerdict = await store.verifyCode(keys, codeHash, policy);
 * ```
 */
export type OtpStoreVerdict =
  | { readonly status: 'verified' }
  | { readonly status: 'invalid'; readonly attemptsRemaining: number }
  | { readonly status: 'locked'; readonly retryAfterMs: number }
  | { readonly status: 'used' }
  | { readonly status: 'in_progress'; readonly retryAfterMs: number };

/**
 * Storage for codes, failure counters and locks.
 *
 * @example
 * ```ts
 * class PostgresOtpStore implements OtpStore {
 *   async saveCode(keys, codeHash, ttlMs) { … }  // upsert, replacing any previous code
 *   async verifyCode(keys, codeHash, policy, claim) { … } // one transaction with SELECT … FOR UPDATE
 *   async settleClaim(keys, token, outcome) { … }
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
   * Atomically: locked → `locked`. The right code: usable → spend it (or, with `claim`, hold it),
   * clear failures → `verified`; spent, or held past its lease → `used`; held by a live claim →
   * `in_progress` with the lease left; neither counts a failure. Otherwise count a failure, lock on
   * reaching a limit (deleting the code) → `invalid` or `locked`. No state change alters the
   * code's expiry.
   *
   * @param keys - Where the subject's state lives.
   * @param codeHash - 64 hex characters: HMAC-SHA-256 of the email and the submitted code.
   * @param policy - The lockout numbers.
   * @param claim - Hold the right code under this token instead of spending it.
   * @returns The verdict.
   * @throws OtpStoreError when the backend fails.
   */
  verifyCode(
    keys: OtpSubjectKeys,
    codeHash: string,
    policy: OtpLockoutPolicy,
    claim?: OtpClaim,
  ): Promise<OtpStoreVerdict>;

  /**
   * Atomically ends a hold taken by `verifyCode` with a claim: `commit` spends the code,
   * `release` makes it usable again (refused once the lease has ended). A token that holds nothing
   * changes nothing.
   *
   * @param keys - Where the subject's state lives.
   * @param token - The claim's token.
   * @param outcome - `commit` or `release`.
   * @returns What happened; see {@link OtpClaimSettlement}.
   * @throws OtpStoreError when the backend fails.
   */
  settleClaim(
    keys: OtpSubjectKeys,
    token: string,
    outcome: 'commit' | 'release',
  ): Promise<OtpClaimSettlement>;
}
