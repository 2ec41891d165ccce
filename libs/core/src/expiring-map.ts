/** Options of {@link ExpiringMap}. */
export interface ExpiringMapOptions {
  /**
   * The clock, in milliseconds (default `performance.now()`: monotonic, so wall-clock jumps from
   * NTP or DST never end a lock early). Read as whole milliseconds.
   */
  readonly now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

// Expired entries are dropped when read, and all of them every this many writes, so memory stays
// bounded by the live entries even for keys that are never read again.
const SWEEP_EVERY = 1024;

/**
 * A `Map` whose entries expire like Redis keys with a `PX` TTL: the in-memory stores of
 * `@tses/redis-ratelimit` and `@tses/otp` keep their state in it, so they behave as their Lua
 * scripts do on Redis. Time is counted in whole milliseconds, as Redis `PTTL` reports it: with a
 * fractional clock, `(now + 3000) - now` can come out as 3000.0000001 and round up to 3001.
 *
 * Every method takes an optional `at` (default {@link ExpiringMap.now}): pass one instant to the
 * calls of one operation so they all judge expiry at the same moment, as one Lua script does.
 *
 * @typeParam V - The values (a counter, a hash, a small record).
 * @example
 * ```ts
 * const locks = new ExpiringMap<number>();
 * locks.set('lock:alice', 1, 900_000);
 * locks.ttl('lock:alice'); // 900000
 * locks.increment('fails:alice', 60_000); // 1, the window opens now
 * ```
 */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #clock: () => number;
  #writes = 0;

  /**
   * @param options - `now`: the clock (tests pass a fake one).
   */
  constructor(options: ExpiringMapOptions = {}) {
    this.#clock = options.now ?? (() => performance.now());
  }

  /**
   * The current instant on this map's clock, in whole milliseconds.
   *
   * @returns Milliseconds (not an epoch time with the default clock).
   * @example
   * ```ts
   * const at = map.now(); // one instant for several calls
   * ```
   */
  now(): number {
    return Math.floor(this.#clock());
  }

  /**
   * The value of a live entry (GET).
   *
   * @param key - The key.
   * @param at - The instant to judge expiry at.
   * @returns The value, or `undefined` when the key is absent or expired.
   * @example
   * ```ts
   * map.get('code:alice');
   * ```
   */
  get(key: string, at: number = this.now()): V | undefined {
    return this.#live(key, at)?.value;
  }

  /**
   * The remaining lifetime of an entry (PTTL without Redis's `-1`/`-2` codes).
   *
   * @param key - The key.
   * @param at - The instant to measure from.
   * @returns Whole milliseconds left (at least 1 for a live entry), or 0 when it is absent.
   * @example
   * ```ts
   * const retryAfterMs = map.ttl('lock:alice');
   * ```
   */
  ttl(key: string, at: number = this.now()): number {
    const entry = this.#live(key, at);
    return entry ? entry.expiresAt - at : 0;
  }

  /**
   * Sets a value with a lifetime (SET … PX), replacing any entry and its expiry.
   *
   * @param key - The key.
   * @param value - The value.
   * @param ttlMs - Lifetime in milliseconds (whole milliseconds are kept).
   * @param at - The instant the lifetime starts.
   * @example
   * ```ts
   * map.set('lock:alice', 1, 900_000);
   * ```
   */
  set(key: string, value: V, ttlMs: number, at: number = this.now()): void {
    this.#entries.set(key, { value, expiresAt: at + Math.floor(ttlMs) });
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep(at);
  }

  /**
   * A new value for a live entry with its expiry unchanged (SET … KEEPTTL XX).
   *
   * @param key - The key.
   * @param value - The new value.
   * @param at - The instant to judge expiry at.
   * @returns Whether the entry was live (nothing is created when it was not).
   * @example
   * ```ts
   * map.replace('code:alice', `${hash}:used`);
   * ```
   */
  replace(key: string, value: V, at: number = this.now()): boolean {
    const entry = this.#live(key, at);
    if (entry) entry.value = value;
    return entry !== undefined;
  }

  /**
   * Adds one to a counter (INCR, with PEXPIRE when it creates the key): a window opens at the
   * first increment and later ones keep its expiry.
   *
   * @param key - The counter.
   * @param ttlMs - The window, applied only when the counter is created.
   * @param at - The instant of the increment.
   * @returns The count after this increment.
   * @example
   * ```ts
   * const failures = counters.increment('fails:alice', 15 * 60_000);
   * ```
   */
  increment(this: ExpiringMap<number>, key: string, ttlMs: number, at: number = this.now()): number {
    const entry = this.#live(key, at);
    if (entry) return ++entry.value;
    this.set(key, 1, ttlMs, at);
    return 1;
  }

  /**
   * Removes entries (DEL).
   *
   * @param keys - The keys; absent ones are ignored.
   * @example
   * ```ts
   * map.delete('fails:alice', 'lock:alice');
   * ```
   */
  delete(...keys: string[]): void {
    for (const key of keys) this.#entries.delete(key);
  }

  /**
   * The number of live entries (expired ones are swept first).
   *
   * @returns The count.
   * @example
   * ```ts
   * expect(map.size).toBe(0);
   * ```
   */
  get size(): number {
    this.#sweep(this.now());
    return this.#entries.size;
  }

  #live(key: string, at: number): Entry<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= at) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(at: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= at) this.#entries.delete(key);
  }
}
