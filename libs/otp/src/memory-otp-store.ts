import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap, now } from './lib/expiring-map.js';
import type {
  OtpClaim,
  OtpClaimSettlement,
  OtpLockoutPolicy,
  OtpStore,
  OtpStoreVerdict,
  OtpSubjectKeys,
} from './store.js';

// The code entry's value, as in verifyOtp-4.lua: `<hash>`, `<hash>:used` or
// `<hash>:held:<token>:<leaseEnd>` (leaseEnd on this process's monotonic clock).
const HELD = /^:held:([^:]+):(\d+(?:\.\d+)?)$/;

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
    claim?: OtpClaim,
  ): Promise<OtpStoreVerdict> {
    // The same steps as verifyOtp-4.lua, in the same order; keep the two in step.
    const map = this.#map;
    const lockTtl = map.ttl(keys.lock);
    if (lockTtl > 0) return { status: 'locked', retryAfterMs: lockTtl };

    const value = map.get(keys.code);
    const submitted = Buffer.from(codeHash);
    const stored = typeof value === 'string' ? value.slice(0, submitted.length) : undefined;
    const state = typeof value === 'string' ? value.slice(submitted.length) : '';
    const present =
      stored !== undefined &&
      Buffer.byteLength(stored) === submitted.length &&
      (state === '' || state.startsWith(':'));
    const expected = present ? Buffer.from(stored) : Buffer.alloc(submitted.length, '0');
    if (timingSafeEqual(expected, submitted) && present) {
      if (state === ':used') return { status: 'used' };
      if (state !== '') {
        const leaseEnd = Number(HELD.exec(state)?.[2] ?? 0);
        const left = Math.ceil(leaseEnd - now());
        // An abandoned hold fails safe: the code stays spent.
        return left > 0 ? { status: 'in_progress', retryAfterMs: left } : { status: 'used' };
      }
      map.replace(
        keys.code,
        claim === undefined ? `${stored}:used` : `${stored}:held:${claim.token}:${now() + claim.leaseMs}`,
      );
      map.delete(keys.failures, keys.longFailures);
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

  /** {@inheritDoc OtpStore.settleClaim} */
  async settleClaim(
    keys: OtpSubjectKeys,
    token: string,
    outcome: 'commit' | 'release',
  ): Promise<OtpClaimSettlement> {
    // The same steps as settleOtpClaim-1.lua.
    const value = this.#map.get(keys.code);
    if (typeof value !== 'string') return 'not_held';
    const at = value.indexOf(':');
    const hash = at < 0 ? value : value.slice(0, at);
    const held = HELD.exec(at < 0 ? '' : value.slice(at));
    if (held?.[1] !== token) return 'not_held';
    if (outcome === 'commit') {
      this.#map.replace(keys.code, `${hash}:used`);
      return 'committed';
    }
    if (Number(held[2]) <= now()) return 'lease_expired';
    this.#map.replace(keys.code, hash);
    return 'released';
  }
}
