import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap, type ExpiringMapOptions } from '@tses/core';
import type {
  OtpClaim,
  OtpClaimSettlement,
  OtpLockoutPolicy,
  OtpStore,
  OtpStoreVerdict,
  OtpSubjectKeys,
} from './store.js';

// The code entry's value, as in verifyOtp-4.lua: `<hash>`, `<hash>:used` or
// `<hash>:held:<token>:<leaseEnd>` (leaseEnd on the store's clock, whole milliseconds).
const HELD = /^:held:([^:]+):(\d+)$/;

/**
 * An in-process store with exactly the behaviour of the Redis store (the same contract suite runs
 * against both), for tests and single-process apps. Each method runs synchronously to completion,
 * so concurrent calls in one process are as atomic as the Lua script. State is lost on restart
 * and not shared between processes.
 *
 * @example
 * ```ts
 * const otp = new Otp({ serverSecret, store: new MemoryOtpStore(), limiter: memoryLimiter });
 * ```
 */
export class MemoryOtpStore implements OtpStore {
  /** Code entries (hash and state), as the code key holds them in Redis. */
  readonly #codes: ExpiringMap<string>;
  /** The two failure counters and the lock ("1"). */
  readonly #counters: ExpiringMap<number>;

  /**
   * @param options - `now`: a millisecond clock (default `performance.now`, monotonic), for tests.
   */
  constructor(options: ExpiringMapOptions = {}) {
    this.#codes = new ExpiringMap(options);
    this.#counters = new ExpiringMap(options);
  }

  /** {@inheritDoc OtpStore.saveCode} */
  async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void> {
    this.#codes.set(keys.code, codeHash, ttlMs);
  }

  /** Number of live entries (codes, counters, locks): for tests and metrics. */
  get size(): number {
    return this.#codes.size + this.#counters.size;
  }

  /** {@inheritDoc OtpStore.verifyCode} */
  async verifyCode(
    keys: OtpSubjectKeys,
    codeHash: string,
    policy: OtpLockoutPolicy,
    claim?: OtpClaim,
  ): Promise<OtpStoreVerdict> {
    // The same steps as verifyOtp-4.lua, in the same order, at one instant; keep the two in step.
    const codes = this.#codes;
    const counters = this.#counters;
    const at = codes.now();
    const lockTtl = counters.ttl(keys.lock, at);
    if (lockTtl > 0) return { status: 'locked', retryAfterMs: lockTtl };

    const value = codes.get(keys.code, at);
    const submitted = Buffer.from(codeHash);
    const stored = value?.slice(0, submitted.length);
    const state = value?.slice(submitted.length) ?? '';
    const present =
      stored !== undefined &&
      Buffer.byteLength(stored) === submitted.length &&
      (state === '' || state.startsWith(':'));
    const expected = present ? Buffer.from(stored) : Buffer.alloc(submitted.length, '0');
    if (timingSafeEqual(expected, submitted) && present) {
      if (state === ':used') return { status: 'used' };
      if (state !== '') {
        const left = Number(HELD.exec(state)?.[2] ?? 0) - at;
        // An abandoned hold fails safe: the code stays spent.
        return left > 0 ? { status: 'in_progress', retryAfterMs: left } : { status: 'used' };
      }
      codes.replace(
        keys.code,
        claim === undefined ? `${stored}:used` : `${stored}:held:${claim.token}:${at + claim.leaseMs}`,
        at,
      );
      counters.delete(keys.failures, keys.longFailures);
      return { status: 'verified' };
    }

    const failures = counters.increment(keys.failures, policy.failureWindowMs, at);
    const longCap = policy.longMaxFailures > 0;
    const longFailures = longCap ? counters.increment(keys.longFailures, policy.longFailureWindowMs, at) : 0;

    let lockFor = 0;
    if (longCap && longFailures >= policy.longMaxFailures) {
      lockFor = policy.longLockMs;
      counters.delete(keys.longFailures);
    }
    if (failures >= policy.maxFailures) lockFor = Math.max(lockFor, policy.lockMs);
    if (lockFor > 0) {
      counters.set(keys.lock, 1, lockFor, at);
      codes.delete(keys.code);
      counters.delete(keys.failures);
      return { status: 'locked', retryAfterMs: lockFor };
    }
    const remaining = policy.maxFailures - failures;
    return {
      status: 'invalid',
      attemptsRemaining: longCap ? Math.min(remaining, policy.longMaxFailures - longFailures) : remaining,
    };
  }

  /** {@inheritDoc OtpStore.settleClaim} */
  async settleClaim(
    keys: OtpSubjectKeys,
    token: string,
    outcome: 'commit' | 'release',
  ): Promise<OtpClaimSettlement> {
    // The same steps as settleOtpClaim-1.lua.
    const at = this.#codes.now();
    const value = this.#codes.get(keys.code, at);
    if (value === undefined) return 'not_held';
    const colon = value.indexOf(':');
    const hash = colon < 0 ? value : value.slice(0, colon);
    const held = HELD.exec(colon < 0 ? '' : value.slice(colon));
    if (held?.[1] !== token) return 'not_held';
    if (outcome === 'commit') {
      this.#codes.replace(keys.code, `${hash}:used`, at);
      return 'committed';
    }
    if (Number(held[2]) <= at) return 'lease_expired';
    this.#codes.replace(keys.code, hash, at);
    return 'released';
  }
}
