import type { LockoutReply, RateLimitStore, WindowReply, WindowSpec } from './store.js';

interface Window {
  count: number;
  expiresAt: number;
}

interface Subject {
  failures: number;
  locked: boolean;
  expiresAt: number;
}

const SWEEP_EVERY = 1024;

/**
 * An in-process store with the same semantics as Redis (fixed windows opening at the first hit,
 * expiry, all-or-nothing, lockouts), for tests and single-process apps. Time comes from the
 * monotonic `performance.now()`, truncated to whole milliseconds like Redis `PTTL` (with a
 * fractional clock, `(now + 3000) - now` can be 3000.0000001 and round up to 3001); expired
 * entries are dropped on access and swept every 1024 writes.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' });
 * ```
 */
export class MemoryStore implements RateLimitStore {
  /** Every call settles at once. */
  readonly settlesByDeadline = true;
  readonly #windows = new Map<string, Window>();
  readonly #subjects = new Map<string, Subject>();
  readonly #now: () => number;
  #writes = 0;

  /**
   * @param options - `now`: a millisecond clock (default `performance.now`), for tests.
   */
  constructor(options: { now?: () => number } = {}) {
    const clock = options.now ?? (() => performance.now());
    this.#now = () => Math.floor(clock());
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
    const now = this.#now();
    const w = this.#open(key, windowMs, now);
    w.count += 1;
    const ttl = Math.ceil(w.expiresAt - now);
    if (w.count > limit) {
      if (!countDenied) w.count -= 1;
      return Promise.resolve([-w.count, ttl]);
    }
    return Promise.resolve([w.count, ttl]);
  }

  consumeWindows(keys: readonly string[], specs: readonly WindowSpec[]): Promise<readonly number[]> {
    const now = this.#now();
    const current = keys.map((key) => this.#live(this.#windows, key, now)?.count ?? 0);
    const denied = specs.some((spec, i) => current[i]! >= spec.limit);
    const out: number[] = [];
    keys.forEach((key, i) => {
      const spec = specs[i]!;
      let count = current[i]!;
      let ttl = Math.max(0, Math.ceil((this.#live(this.#windows, key, now)?.expiresAt ?? now) - now));
      if (!denied || spec.countDenied) {
        const w = this.#open(key, spec.windowMs, now);
        count = ++w.count;
        ttl = Math.ceil(w.expiresAt - now);
      }
      out.push(current[i]! >= spec.limit ? -count : count, ttl);
    });
    return Promise.resolve(out);
  }

  peekWindow(key: string): Promise<WindowReply> {
    const now = this.#now();
    const w = this.#live(this.#windows, key, now);
    return Promise.resolve(w ? [w.count, Math.ceil(w.expiresAt - now)] : [0, 0]);
  }

  refundWindow(key: string, amount: number): Promise<WindowReply> {
    const now = this.#now();
    const w = this.#live(this.#windows, key, now);
    if (!w) return Promise.resolve([0, 0]);
    w.count = Math.max(0, w.count - amount);
    return Promise.resolve([w.count, Math.ceil(w.expiresAt - now)]);
  }

  resetWindow(key: string): Promise<void> {
    this.#windows.delete(key);
    return Promise.resolve();
  }

  recordFailure(key: string, maxFailures: number, windowMs: number, lockMs: number): Promise<LockoutReply> {
    const now = this.#now();
    let s = this.#live(this.#subjects, key, now);
    if (s?.locked) return Promise.resolve([s.failures, 1, Math.ceil(s.expiresAt - now)]);
    if (!s) {
      s = { failures: 0, locked: false, expiresAt: now + windowMs };
      this.#subjects.set(key, s);
      this.#wrote(now);
    }
    s.failures += 1;
    if (s.failures >= maxFailures) {
      s.locked = true;
      s.expiresAt = now + lockMs;
    }
    return Promise.resolve([s.failures, s.locked ? 1 : 0, Math.ceil(s.expiresAt - now)]);
  }

  checkLockout(key: string): Promise<LockoutReply> {
    const now = this.#now();
    const s = this.#live(this.#subjects, key, now);
    return Promise.resolve(s ? [s.failures, s.locked ? 1 : 0, Math.ceil(s.expiresAt - now)] : [0, 0, 0]);
  }

  clearLockout(key: string): Promise<void> {
    this.#subjects.delete(key);
    return Promise.resolve();
  }

  #live<T extends { expiresAt: number }>(map: Map<string, T>, key: string, now: number): T | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  #open(key: string, windowMs: number, now: number): Window {
    let w = this.#live(this.#windows, key, now);
    if (!w) {
      w = { count: 0, expiresAt: now + windowMs };
      this.#windows.set(key, w);
      this.#wrote(now);
    }
    return w;
  }

  #wrote(now: number): void {
    if (++this.#writes % SWEEP_EVERY !== 0) return;
    for (const map of [this.#windows, this.#subjects] as Map<string, { expiresAt: number }>[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }
}
