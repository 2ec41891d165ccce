import type { RateLimitAllDecision, RateLimitDecision, RateLimitItem, RateLimitRule } from '../types.js';
import { consumeAcrossSlots } from './consume-across-slots.js';
import { combineDecisions, fallbackDecision, peekDecision, windowDecision } from './decisions.js';
import { RateLimitConfigError } from './errors.js';
import { StoreCaller, type StoreOptions } from './store-caller.js';
import { prepareRule } from './prepared-rule.js';
import { consumeOn, RedisStore, redisStoreInternals, type RedisStoreInternals } from './redis-store.js';
import type { WindowSpec } from './store.js';
import { keyProblem, ruleProblem } from './validate.js';

/** Options of a {@link RateLimiter}: see {@link StoreOptions}; `keyPrefix` defaults to `"rl:"`. */
export type RateLimiterOptions = StoreOptions;

/**
 * Fixed-window rate limiting on Redis (standalone or Cluster) or in memory. Every method is one
 * atomic Lua script per key group; a denial is a resolved decision, only faults reject.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ redis, keyPrefix: 'rl:', failureMode: 'throw', timeoutMs: 300 });
 * const d = await limiter.consume(`login:${ip}`, { name: 'login', limit: 10, windowMs: 60_000 });
 * if (!d.allowed) reply.status(429).header('Retry-After', retryAfterHeader(d));
 * ```
 */
export class RateLimiter {
  readonly #caller: StoreCaller;
  /** The store's adapter when it is a `RedisStore`: `consume` then takes its one-promise path. */
  readonly #redis: RedisStoreInternals | undefined;

  /**
   * @param options - Store (`redis` or `store`), `failureMode` (required), `keyPrefix`, `timeoutMs`, `onError`.
   * @throws {@link RateLimitConfigError} On invalid options or a client that could replay commands.
   */
  constructor(options: RateLimiterOptions) {
    this.#caller = new StoreCaller(options, 'rl:');
    const store = this.#caller.store;
    this.#redis = store instanceof RedisStore ? redisStoreInternals(store) : undefined;
  }

  /**
   * Counts one hit against `rule` for `key`, if the window has room.
   *
   * @param key - The subject, e.g. `ip:203.0.113.7` (the limiter's prefix is added).
   * @param rule - Limit and window; `countDenied` keeps denied hits counted.
   * @returns The decision; denied → `retryAfterMs` from the window's PTTL, ≥ 1000, whole seconds.
   * @throws {@link RateLimitConfigError} For an invalid key or rule.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * const { allowed, retryAfterMs } = await limiter.consume('email:a@example.com', { limit: 3, windowMs: 600_000 });
   * ```
   */
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const keyError = keyProblem(key);
    const prepared = keyError ?? prepareRule(rule);
    if (typeof prepared === 'string') return Promise.reject(new RateLimitConfigError(prepared));
    const c = this.#caller;
    const fullKey = c.prefix + key;
    const redis = this.#redis;
    if (redis !== undefined && redis.client.isReady()) {
      return consumeOn(redis, fullKey, prepared, performance.now() + c.timeoutMs, c);
    }
    return c.run(
      (deadline) =>
        c.store.consumeWindow(fullKey, prepared.limit, prepared.windowMs, prepared.countDenied, deadline),
      prepared.decide,
      prepared.fallback,
    );
  }

  /**
   * Counts one hit against every item, or against none when any rule is exhausted (all-or-nothing).
   * One script when the keys can run together (standalone Redis, memory, or one Cluster slot via a
   * shared `{hash tag}`); otherwise the compensating path: peek, consume each, refund on a race.
   *
   * @param items - `{ key, rule }` pairs, checked in order.
   * @returns `allowed`, per-item `decisions` (on denial a rule with room reports `allowed: true`
   *   and its unconsumed `remaining`), and when denied `blockedIndex`/`blockedBy` (the exhausted
   *   rule with the longest retry-after) and that `retryAfterMs`.
   * @throws {@link RateLimitConfigError} For an empty list, an invalid key or rule.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * const d = await limiter.consumeAll([
   *   { key: `otp:email:${email}`, rule: { name: 'otp-email', limit: 3, windowMs: 600_000 } },
   *   { key: `otp:ip:${ip}`, rule: { name: 'otp-ip', limit: 10, windowMs: 3_600_000 } },
   * ]);
   * if (!d.allowed) return { ok: false, retryAfterMs: d.retryAfterMs, policy: d.blockedBy?.rule.name };
   * ```
   */
  consumeAll(items: readonly RateLimitItem[]): Promise<RateLimitAllDecision> {
    if (!Array.isArray(items) || items.length === 0) {
      return Promise.reject(new RateLimitConfigError('consumeAll needs at least one item'));
    }
    const c = this.#caller;
    const keys: string[] = [];
    const specs: WindowSpec[] = [];
    for (const item of items) {
      const problem = keyProblem(item?.key) ?? ruleProblem(item?.rule);
      if (problem) return Promise.reject(new RateLimitConfigError(problem));
      keys.push(c.prefix + item.key);
      specs.push({
        limit: item.rule.limit,
        windowMs: item.rule.windowMs,
        countDenied: item.rule.countDenied === true,
      });
    }
    const fallback = (allow: boolean) =>
      combineDecisions(
        items,
        items.map((item) => fallbackDecision(item.rule, allow)),
      );
    if (!c.store.canConsumeTogether(keys)) {
      return c.run(
        (deadline) => consumeAcrossSlots(c, items, keys, specs, deadline),
        (d) => d,
        fallback,
      );
    }
    return c.run(
      (deadline) => c.store.consumeWindows(keys, specs, deadline),
      (flat) =>
        combineDecisions(
          items,
          items.map((item, i) => windowDecision(flat[2 * i]!, flat[2 * i + 1]!, item.rule.limit)),
        ),
      fallback,
    );
  }

  /**
   * Reads `key`'s window without counting: would the next hit be admitted?
   *
   * @param key - The subject.
   * @param rule - The rule the key is used with (for `limit`).
   * @returns The decision the next hit would get (nothing counted).
   * @throws {@link RateLimitConfigError} For an invalid key or rule.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * const { remaining } = await limiter.peek('ip:203.0.113.7', rule);
   * ```
   */
  peek(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const problem = keyProblem(key) ?? ruleProblem(rule);
    if (problem) return Promise.reject(new RateLimitConfigError(problem));
    const c = this.#caller;
    return c.run(
      (deadline) => c.store.peekWindow(c.prefix + key, deadline),
      (r) => peekDecision(r[0], r[1], rule.limit),
      (allow) => fallbackDecision(rule, allow),
    );
  }

  /**
   * Gives back hits counted in `key`'s open window (never below zero; the window's end is unchanged).
   *
   * @param key - The subject.
   * @param rule - The rule the key is used with.
   * @param amount - Hits to give back (positive integer, default 1).
   * @returns The state after the refund, as {@link RateLimiter.peek} reports it.
   * @throws {@link RateLimitConfigError} For an invalid key, rule or amount.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * await limiter.refund(`otp:email:${email}`, rule); // the email could not be sent
   * ```
   */
  refund(key: string, rule: RateLimitRule, amount = 1): Promise<RateLimitDecision> {
    const problem =
      keyProblem(key) ??
      ruleProblem(rule) ??
      (Number.isSafeInteger(amount) && amount > 0 ? undefined : 'amount must be a positive integer');
    if (problem) return Promise.reject(new RateLimitConfigError(problem));
    const c = this.#caller;
    return c.run(
      (deadline) => c.store.refundWindow(c.prefix + key, amount, rule.windowMs, deadline),
      (r) => peekDecision(r[0], r[1], rule.limit),
      (allow) => fallbackDecision(rule, allow),
    );
  }

  /**
   * Deletes `key`'s window (one key: no SCAN, no KEYS).
   *
   * @param key - The subject.
   * @returns Resolves once deleted.
   * @throws {@link RateLimitConfigError} For an invalid key.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * await limiter.reset(`login:${userId}`); // after a successful password reset
   * ```
   */
  reset(key: string): Promise<void> {
    const problem = keyProblem(key);
    if (problem) return Promise.reject(new RateLimitConfigError(problem));
    const c = this.#caller;
    return c.run(
      (deadline) => c.store.resetWindow(c.prefix + key, deadline),
      () => undefined,
      () => undefined,
    );
  }
}
