// The local shield: keys Redis reported exhausted, remembered in process until their window ends,
// so that further hits on them are denied without a round trip. Only denials come from here, and
// a denial counts nothing in Redis (a rule with `countDenied` never asks the shield), so counts
// stay exactly what Redis would have counted. An entry is a fact Redis stated ("this key holds at
// least `count` hits until `until`"), true until the window ends unless something gives hits back:
// this limiter's own `refund`/`reset` forget the key; another process's are not seen here (README,
// "Local shield").
import type { RateLimitDecision } from '../types.js';
import { windowDecision } from './decisions.js';
import { RateLimitConfigError } from './errors.js';

/**
 * Options of the local shield (`RateLimiter`'s `shield` option).
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ redis, failureMode: 'throw', shield: { maxKeys: 50_000 } });
 * ```
 */
export interface ShieldOptions {
  /**
   * How many exhausted keys the shield remembers at most (default 10,000). Past it, the key used
   * least recently is forgotten: its next hit asks Redis again. About 150 bytes per key.
   */
  readonly maxKeys?: number;
}

/** The default `maxKeys`: about 1.5 MB of keys of 40 characters. */
const DEFAULT_MAX_KEYS = 10_000;

interface Entry {
  /** Hits the window holds at least (the limit of the rule Redis found exhausted). */
  count: number;
  /** `performance.now()` time by which the window has ended (never later than Redis's own end). */
  until: number;
}

/** What the limiter keeps of its shield: the exhausted keys, least recently used first. */
export class Shield {
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;

  /**
   * @param options - `true` or the shield's options.
   * @throws {@link RateLimitConfigError} When `maxKeys` is not a positive integer.
   */
  constructor(options: true | ShieldOptions) {
    const maxKeys = options === true ? DEFAULT_MAX_KEYS : (options.maxKeys ?? DEFAULT_MAX_KEYS);
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new RateLimitConfigError(`shield.maxKeys must be a positive integer, got ${String(maxKeys)}`);
    }
    this.#maxKeys = maxKeys;
  }

  /** How many keys the shield holds now (expired ones included until they are next looked up). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The denial for one more hit on `key` under a rule of `limit`, when the shield knows the key
   * is exhausted for it; `undefined` when the call must go to Redis.
   */
  denial(key: string, limit: number): RateLimitDecision | undefined {
    const entries = this.#entries;
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    const left = entry.until - performance.now();
    if (left <= 0) {
      entries.delete(key);
      return undefined;
    }
    if (entry.count < limit) return undefined;
    // Most recently used last: the least recently used key is the one evicted.
    entries.delete(key);
    entries.set(key, entry);
    return windowDecision(-entry.count, Math.ceil(left), limit);
  }

  /**
   * Learns from a decision Redis gave for `key` under a rule of `limit`: one with no hits left
   * (denied, or allowed as the last hit of the window) makes the key exhausted until its window
   * ends. `sentAt` is a time before Redis ran the call, so the remembered end is never late.
   */
  learn(key: string, limit: number, sentAt: number, decision: RateLimitDecision): void {
    if (decision.remaining !== 0 || decision.resetInMs <= 0) return;
    const entries = this.#entries;
    entries.delete(key);
    if (entries.size >= this.#maxKeys) entries.delete(entries.keys().next().value!);
    entries.set(key, { count: limit, until: sentAt + decision.resetInMs });
  }

  /** Forgets `key`: hits were given back (`refund`, `reset`), so Redis must decide again. */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}
