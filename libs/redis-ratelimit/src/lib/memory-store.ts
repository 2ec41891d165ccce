import { ExpiringMap } from '@tses/core';
import type { LockoutReply, RateLimitStore, WindowReply, WindowSpec } from './store.js';

/** One lockout subject, as the hash of recordFailure-1.lua holds it. */
interface Subject {
  failures: number;
  locked: boolean;
}

/**
 * An in-process store with the same semantics as Redis (fixed windows opening at the first hit,
 * expiry, all-or-nothing, lockouts), for tests and single-process apps. Its state lives in
 * `@tses/core`'s `ExpiringMap`: the monotonic `performance.now()` clock in whole milliseconds,
 * like Redis `PTTL`; each call reads the clock once, as one Lua script sees one instant.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' });
 * ```
 */
export class MemoryStore implements RateLimitStore {
  /** Every call settles at once. */
  readonly settlesByDeadline = true;
  /** Window counters. */
  readonly #windows: ExpiringMap<number>;
  /** Lockout subjects. */
  readonly #subjects: ExpiringMap<Subject>;

  /**
   * @param options - `now`: a millisecond clock (default `performance.now`), for tests.
   */
  constructor(options: { now?: () => number } = {}) {
    this.#windows = new ExpiringMap(options);
    this.#subjects = new ExpiringMap(options);
  }

  isReady(): boolean {
    return true;
  }

  waitUntilReady(): Promise<void> {
    return Promise.resolve();
  }

  canConsumeTogether(): boolean {
    return true;
  }

  consumeWindow(key: string, limit: number, windowMs: number, countDenied: boolean): Promise<WindowReply> {
    const windows = this.#windows;
    const now = windows.now();
    const count = windows.increment(key, windowMs, now);
    const ttl = windows.ttl(key, now);
    if (count > limit) {
      if (countDenied) return Promise.resolve([-count, ttl]);
      windows.replace(key, count - 1, now);
      return Promise.resolve([-(count - 1), ttl]);
    }
    return Promise.resolve([count, ttl]);
  }

  consumeWindows(keys: readonly string[], specs: readonly WindowSpec[]): Promise<readonly number[]> {
    const windows = this.#windows;
    const now = windows.now();
    const current = keys.map((key) => windows.get(key, now) ?? 0);
    const denied = specs.some((spec, i) => current[i]! >= spec.limit);
    const out: number[] = [];
    keys.forEach((key, i) => {
      const spec = specs[i]!;
      const count = !denied || spec.countDenied ? windows.increment(key, spec.windowMs, now) : current[i]!;
      out.push(current[i]! >= spec.limit ? -count : count, windows.ttl(key, now));
    });
    return Promise.resolve(out);
  }

  peekWindow(key: string): Promise<WindowReply> {
    const now = this.#windows.now();
    return Promise.resolve([this.#windows.get(key, now) ?? 0, this.#windows.ttl(key, now)]);
  }

  refundWindow(key: string, amount: number): Promise<WindowReply> {
    const windows = this.#windows;
    const now = windows.now();
    const count = windows.get(key, now);
    if (count === undefined) return Promise.resolve([0, 0]);
    const left = Math.max(0, count - amount);
    windows.replace(key, left, now);
    return Promise.resolve([left, windows.ttl(key, now)]);
  }

  resetWindow(key: string): Promise<void> {
    this.#windows.delete(key);
    return Promise.resolve();
  }

  recordFailure(key: string, maxFailures: number, windowMs: number, lockMs: number): Promise<LockoutReply> {
    const subjects = this.#subjects;
    const now = subjects.now();
    let s = subjects.get(key, now);
    if (s?.locked) return Promise.resolve([s.failures, 1, subjects.ttl(key, now)]);
    if (!s) {
      s = { failures: 0, locked: false };
      subjects.set(key, s, windowMs, now);
    }
    s.failures += 1;
    if (s.failures >= maxFailures) {
      s.locked = true;
      subjects.set(key, s, lockMs, now);
    }
    return Promise.resolve([s.failures, s.locked ? 1 : 0, subjects.ttl(key, now)]);
  }

  checkLockout(key: string): Promise<LockoutReply> {
    const now = this.#subjects.now();
    const s = this.#subjects.get(key, now);
    return Promise.resolve(s ? [s.failures, s.locked ? 1 : 0, this.#subjects.ttl(key, now)] : [0, 0, 0]);
  }

  clearLockout(key: string): Promise<void> {
    this.#subjects.delete(key);
    return Promise.resolve();
  }
}
