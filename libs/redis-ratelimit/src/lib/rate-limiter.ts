import type { RateLimitAllDecision, RateLimitDecision, RateLimitItem, RateLimitRule } from '../types.js';
import { consumeAcrossSlots } from './consume-across-slots.js';
import { ConsumeAllCoalescer } from './consume-all-coalescer.js';
import { ConsumeCoalescer } from './consume-coalescer.js';
import {
  combineDecisions,
  consumeAllDecision,
  consumeAllFallback,
  fallbackDecision,
  peekDecision,
} from './decisions.js';
import { RateLimitConfigError } from './errors.js';
import { LimiterTelemetry, type LimiterTelemetryOptions } from './limiter-telemetry.js';
import { StoreCaller, type StoreOptions } from './store-caller.js';
import { prepareRule, type PreparedRule } from './prepared-rule.js';
import {
  consumeOn,
  consumeOutcome,
  RedisStore,
  redisStoreInternals,
  type RedisStoreInternals,
} from './redis-store.js';
import { Shield, type ShieldOptions } from './shield.js';
import { keyProblem, ruleProblem } from './validate.js';

/**
 * Options of a {@link RateLimiter}: the store options ({@link StoreOptions}; `keyPrefix` defaults
 * to `"rl:"`), plus the local shield and coalescing.
 *
 * @example
 * ```ts
 * const options: RateLimiterOptions = { redis, failureMode: 'throw', timeoutMs: 300, shield: true };
 * ```
 */
export interface RateLimiterOptions extends StoreOptions, LimiterTelemetryOptions {
  /**
   * The local shield (default off): once Redis reports a key exhausted, further hits on it are
   * denied from this process's memory until its window ends, without a round trip. Allowed hits
   * always come from Redis, so counts stay exact; a rule with `countDenied` is never answered from
   * memory (its denied hits must be counted in Redis). `true`, or `{ maxKeys }` (default 10,000
   * keys, least recently used forgotten first). This limiter's `refund` and `reset` clear a key;
   * another process's are not seen here: the key stays denied in this process until the window's
   * remembered end (README, "Local shield").
   */
  readonly shield?: boolean | ShieldOptions;
  /**
   * Coalescing (Redis stores only): the calls this limiter makes in one tick travel to Redis
   * together, one script per Cluster slot (one per tick on a standalone server), each caller still
   * getting its own exact decision and its timeout at its own deadline. `true` (the default):
   * `consume` calls; `'all'`: `consumeAll` calls as well (more calls per second, a wider latency
   * tail under load: README, "Coalescing"); `false`: one script per call.
   */
  readonly coalesce?: boolean | 'all';
}

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
  /** The keys known exhausted, when the shield is on. */
  readonly #shield: Shield | undefined;
  /** The batches of this tick's `consume` calls, when coalescing on a Redis store. */
  readonly #coalescer: ConsumeCoalescer | undefined;
  /** The batches of this tick's `consumeAll` calls, when coalescing on a Redis store. */
  readonly #allCoalescer: ConsumeAllCoalescer | undefined;
  /** Metrics, spans and `onDecision`, when the limiter reports anywhere. */
  readonly #telemetry: LimiterTelemetry | undefined;

  /**
   * @param options - Store (`redis` or `store`), `failureMode` (required), `keyPrefix`,
   *   `timeoutMs`, `onError`, `shield`, `coalesce`, `telemetry`, `onDecision`.
   * @throws {@link RateLimitConfigError} On invalid options or a client that could replay commands.
   */
  constructor(options: RateLimiterOptions) {
    this.#caller = new StoreCaller(options, 'rl:');
    const store = this.#caller.store;
    const shield = options.shield;
    if (
      shield !== undefined &&
      typeof shield !== 'boolean' &&
      (shield === null || typeof shield !== 'object')
    ) {
      throw new RateLimitConfigError(`shield must be a boolean or { maxKeys }, got ${String(shield)}`);
    }
    if (
      options.coalesce !== undefined &&
      typeof options.coalesce !== 'boolean' &&
      options.coalesce !== 'all'
    ) {
      throw new RateLimitConfigError(
        `coalesce must be true, false or 'all', got ${String(options.coalesce)}`,
      );
    }
    this.#shield = shield === undefined || shield === false ? undefined : new Shield(shield);
    this.#redis = store instanceof RedisStore ? redisStoreInternals(store) : undefined;
    const redis = this.#redis;
    const coalesce = redis !== undefined && options.coalesce !== false;
    this.#coalescer = coalesce
      ? new ConsumeCoalescer(redis.client, redis.deadlines, this.#caller, this.#shield)
      : undefined;
    this.#allCoalescer =
      coalesce && options.coalesce === 'all'
        ? new ConsumeAllCoalescer(redis.client, redis.deadlines, this.#caller, this.#shield)
        : undefined;
    this.#telemetry = LimiterTelemetry.create(options, this.#redis === undefined ? undefined : 'redis');
    this.#caller.telemetry = this.#telemetry?.store;
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
    const fullKey = this.#caller.prefix + key;
    const shield = this.#shield;
    const telemetry = this.#telemetry;
    if (shield !== undefined && !prepared.countDenied) {
      const denial = shield.denial(fullKey, prepared.limit);
      if (denial !== undefined) {
        telemetry?.shielded(rule.name, denial);
        return Promise.resolve(denial);
      }
    }
    if (telemetry === undefined) return this.#consumeStored(fullKey, prepared);
    return telemetry.consume(rule.name, () => this.#consumeStored(fullKey, prepared));
  }

  /** `consume` past validation and the shield: one store call, coalesced when on. */
  #consumeStored(fullKey: string, prepared: PreparedRule): Promise<RateLimitDecision> {
    const c = this.#caller;
    const redis = this.#redis;
    if (redis !== undefined && redis.client.isReady()) {
      const deadline = performance.now() + c.timeoutMs;
      const coalescer = this.#coalescer;
      if (coalescer !== undefined) return coalescer.consume(fullKey, prepared, deadline);
      return consumeOn(redis, fullKey, prepared, deadline, c, this.#shield);
    }
    return c.run(
      (deadline) =>
        c.store.consumeWindow(fullKey, prepared.limit, prepared.windowMs, prepared.countDenied, deadline),
      consumeOutcome(fullKey, prepared, c, this.#shield).map!,
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
    const telemetry = this.#telemetry;
    if (telemetry === undefined) return this.#consumeAll(items);
    return telemetry.consumeAll(items, () => this.#consumeAll(items));
  }

  /** `consumeAll` itself: validation, the shield, then the store. */
  #consumeAll(items: readonly RateLimitItem[]): Promise<RateLimitAllDecision> {
    if (!Array.isArray(items) || items.length === 0) {
      return Promise.reject(new RateLimitConfigError('consumeAll needs at least one item'));
    }
    const c = this.#caller;
    const keys: string[] = [];
    const rules: PreparedRule[] = [];
    for (const item of items) {
      const prepared = keyProblem(item?.key) ?? prepareRule(item?.rule);
      if (typeof prepared === 'string') return Promise.reject(new RateLimitConfigError(prepared));
      keys.push(c.prefix + item.key);
      rules.push(prepared);
    }
    const shield = this.#shield;
    if (shield !== undefined) {
      const known = shieldedDecisions(shield, keys, rules);
      if (known !== undefined) return Promise.resolve(combineDecisions(items, known));
    }
    const together = c.store.canConsumeTogether(keys);
    const coalescer = this.#allCoalescer;
    if (coalescer !== undefined && together && this.#redis!.client.isReady()) {
      return coalescer.consumeAll(items, keys, rules, performance.now() + c.timeoutMs);
    }
    const sentAt = performance.now();
    const learn = (decision: RateLimitAllDecision): RateLimitAllDecision => {
      if (shield !== undefined) {
        decision.decisions.forEach((d, i) => shield.learn(keys[i]!, rules[i]!.limit, sentAt, d));
      }
      return decision;
    };
    const fallback = (allow: boolean) => consumeAllFallback(items, rules, allow);
    if (!together) {
      const forget = shield === undefined ? undefined : (key: string) => shield.forget(key);
      return c.run(
        (deadline) => consumeAcrossSlots(c, items, keys, rules, deadline, forget),
        learn,
        fallback,
      );
    }
    return c.run(
      (deadline) => c.store.consumeWindows(keys, rules, deadline),
      (flat) => learn(consumeAllDecision(items, rules, flat)),
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
    const fullKey = c.prefix + key;
    const shield = this.#shield;
    // Forgotten now and again once Redis answered: a denial of this key that Redis ran before the
    // refund, answered in between, must not outlive it.
    shield?.forget(fullKey);
    return c.run(
      (deadline) => c.store.refundWindow(fullKey, amount, rule.windowMs, deadline),
      (r) => {
        shield?.forget(fullKey);
        return peekDecision(r[0], r[1], rule.limit);
      },
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
    const fullKey = c.prefix + key;
    const shield = this.#shield;
    shield?.forget(fullKey); // and again once deleted, as for `refund`
    return c.run(
      (deadline) => c.store.resetWindow(fullKey, deadline),
      () => shield?.forget(fullKey),
      () => undefined,
    );
  }
}

/**
 * The decisions of a `consumeAll` the shield can give on its own: only when it knows every rule
 * exhausted, so the binding rule and each decision are what Redis would say, and no rule counts
 * denied hits (those must be counted in Redis). Otherwise `undefined`: Redis decides (and a
 * denied call counts nothing there either).
 */
function shieldedDecisions(
  shield: Shield,
  keys: readonly string[],
  rules: readonly PreparedRule[],
): RateLimitDecision[] | undefined {
  const decisions: RateLimitDecision[] = [];
  for (let i = 0; i < keys.length; i++) {
    const spec = rules[i]!;
    if (spec.countDenied) return undefined;
    const denial = shield.denial(keys[i]!, spec.limit);
    if (denial === undefined) return undefined;
    decisions.push(denial);
  }
  return decisions;
}
