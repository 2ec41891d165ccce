import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap } from './lib/expiring-map.js';
import type { OtpLockoutPolicy, OtpStore, OtpStoreVerdict, OtpSubjectKeys } from './store.js';

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
  readonly #map = new ExpiringMap();

  /** {@inheritDoc OtpStore.saveCode} */
  async saveCode(keys: OtpSubjectKeys, codeHash: string, ttlMs: number): Promise<void> {
    this.#map.set(keys.code, codeHash, ttlMs);
  }

  /** Number of live entries (codes, counters, locks): for tests and metrics. */
  get size(): number {
    return this.#map.size;
  }

  /** {@inheritDoc OtpStore.verifyCode} */
  async verifyCode(
    keys: OtpSubjectKeys,
    codeHash: string,
    policy: OtpLockoutPolicy,
  ): Promise<OtpStoreVerdict> {
    // The same steps as verifyOtp-4.lua, in the same order; keep the two in step.
    const map = this.#map;
    const lockTtl = map.ttl(keys.lock);
    if (lockTtl > 0) return { status: 'locked', retryAfterMs: lockTtl };

    const stored = map.get(keys.code);
    const submitted = Buffer.from(codeHash);
    const present = typeof stored === 'string' && Buffer.byteLength(stored) === submitted.length;
    const expected = present ? Buffer.from(stored) : Buffer.alloc(submitted.length, '0');
    if (timingSafeEqual(expected, submitted) && present) {
      map.delete(keys.code, keys.failures, keys.longFailures);
      return { status: 'verified' };
    }

    const failures = map.increment(keys.failures, policy.failureWindowMs);
    const longCap = policy.longMaxFailures > 0;
    const longFailures = longCap ? map.increment(keys.longFailures, policy.longFailureWindowMs) : 0;

    let lockFor = 0;
    if (longCap && longFailures >= policy.longMaxFailures) {
      lockFor = policy.longLockMs;
      map.delete(keys.longFailures);
    }
    if (failures >= policy.maxFailures) lockFor = Math.max(lockFor, policy.lockMs);
    if (lockFor > 0) {
      map.set(keys.lock, '1', lockFor);
      map.delete(keys.code, keys.failures);
      return { status: 'locked', retryAfterMs: lockFor };
    }
    const remaining = policy.maxFailures - failures;
    return {
      status: 'invalid',
      attemptsRemaining: longCap ? Math.min(remaining, policy.longMaxFailures - longFailures) : remaining,
    };
  }
}
