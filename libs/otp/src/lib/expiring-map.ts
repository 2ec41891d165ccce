/** Milliseconds on a monotonic clock: wall-clock jumps (NTP, DST) must not end locks early. */
export const now = (): number => performance.now();

const SWEEP_EVERY = 1_000;

interface Entry {
  value: string | number;
  expiresAt: number;
}

/**
 * A Map whose entries expire like Redis keys with a PX TTL. Expired entries are dropped when
 * read and swept every 1000 writes, so memory stays bounded by the live entries.
 */
export class ExpiringMap {
  readonly #entries = new Map<string, Entry>();
  #writes = 0;

  get(key: string): string | number | undefined {
    return this.#live(key)?.value;
  }

  /** Remaining lifetime in ms, or 0 when the key is absent (Redis PTTL without the -1/-2 codes). */
  ttl(key: string): number {
    const entry = this.#live(key);
    return entry ? Math.max(1, Math.ceil(entry.expiresAt - now())) : 0;
  }

  set(key: string, value: string | number, ttlMs: number): void {
    this.#entries.set(key, { value, expiresAt: now() + ttlMs });
    this.#sweepSometimes();
  }

  /** SET … KEEPTTL: a new value for a live key, its expiry unchanged; no-op when the key is absent. */
  replace(key: string, value: string | number): void {
    const entry = this.#live(key);
    if (entry) entry.value = value;
  }

  /** INCR with PEXPIRE on creation: the window opens at the first increment and later ones keep it. */
  increment(key: string, ttlMs: number): number {
    const entry = this.#live(key);
    if (entry) return (entry.value = Number(entry.value) + 1);
    this.set(key, 1, ttlMs);
    return 1;
  }

  delete(...keys: string[]): void {
    for (const key of keys) this.#entries.delete(key);
  }

  /** Number of live entries (sweeps first). */
  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweepSometimes(): void {
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep();
  }

  #sweep(): void {
    const t = now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= t) this.#entries.delete(key);
  }
}
