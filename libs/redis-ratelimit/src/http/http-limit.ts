// The framework-neutral part of the HTTP middleware: options checked once, then per request skip,
// key, one all-or-nothing `consumeAll`, and the failure mode. Each adapter only reads the request
// and writes the answer.
import { combineDecisions, consumeAllFallback } from '../lib/decisions.js';
import { RateLimitConfigError, RateLimitError, toRateLimitError } from '../lib/errors.js';
import { rateLimitPolicyField } from '../lib/headers.js';
import { RateLimiter } from '../lib/rate-limiter.js';
import type { RateLimitAllDecision, RateLimitItem, RateLimitRule } from '../types.js';
import { ipKey, userKey } from './client-key.js';
import type { HttpRateLimitOptions, RateLimitInfo } from './options.js';
import { fieldsOf } from './response.js';

/** One configured middleware, whatever the framework. */
export interface HttpLimit<Req> {
  /** Whether `RateLimit-Policy` and `RateLimit` go on every counted response. */
  readonly headers: boolean;
  /**
   * Counts one request. Resolves `undefined` when skipped, otherwise the decision (the failure
   * mode's answer included); rejects with the fault only when the failure mode is `throw`.
   */
  check(req: Req, ip: () => string | undefined): Promise<RateLimitInfo | undefined>;
}

const FAILURE_MODES: readonly unknown[] = ['throw', 'allow', 'deny'];

function rulesOf(rules: HttpRateLimitOptions<unknown>['rules']): readonly RateLimitRule[] {
  const list = Array.isArray(rules) ? (rules as readonly RateLimitRule[]) : [rules as RateLimitRule];
  if (list.length === 0 || list.some((rule) => rule === null || typeof rule !== 'object')) {
    throw new RateLimitConfigError('rules must be one rule or a non-empty list of rules');
  }
  const names = new Set<string>();
  for (const rule of list) {
    // Names give each rule its own counter and its own policy in the response fields.
    if (typeof rule.name !== 'string' || rule.name === '' || names.has(rule.name)) {
      throw new RateLimitConfigError(
        `every rule needs a distinct, non-empty name, got ${JSON.stringify(rule.name)}`,
      );
    }
    rateLimitPolicyField(rule); // throws on a name that cannot be a Structured Field string
    names.add(rule.name);
  }
  return list;
}

/**
 * The limiter the options name: `limiter` as given, or one of the middleware's own on `redis` or
 * `store`, whose faults reject so that the middleware's failure mode decides them.
 */
export function limiterOf(
  options: HttpRateLimitOptions<unknown>,
): Pick<RateLimiter, 'consume' | 'consumeAll'> {
  const own = options.redis !== undefined || options.store !== undefined;
  if ((options.limiter === undefined) === !own) {
    throw new RateLimitConfigError('Give exactly one of `limiter`, `redis` or `store`.');
  }
  if (options.limiter !== undefined) return options.limiter;
  // The middleware applies the failure mode itself, so that key faults follow the same one.
  return new RateLimiter({
    ...(options.redis === undefined ? { store: options.store! } : { redis: options.redis }),
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    failureMode: 'throw',
  });
}

function infoOf(
  key: string | undefined,
  rules: readonly RateLimitRule[],
  items: readonly RateLimitItem[],
  decision: RateLimitAllDecision,
  error?: RateLimitError,
): RateLimitInfo {
  const base = {
    allowed: decision.allowed,
    key,
    policies: rules.map((rule, i) => ({ rule, decision: decision.decisions[i]! })),
    decision,
    policy: decision.allowed ? undefined : (decision.blockedBy?.rule.name ?? items[0]?.rule.name),
    retryAfterMs: decision.retryAfterMs,
    ...(error === undefined ? {} : { error }),
  };
  return { ...base, headers: fieldsOf(base) };
}

/**
 * Checks the options once and returns the per-request check every adapter runs.
 *
 * @param options - The shared vocabulary ({@link HttpRateLimitOptions}).
 * @returns The configured limit.
 * @throws {@link RateLimitConfigError} On invalid options.
 */
export function createHttpLimit<Req>(options: HttpRateLimitOptions<Req>): HttpLimit<Req> {
  if (!options || typeof options !== 'object') throw new RateLimitConfigError('options are required');
  if (!FAILURE_MODES.includes(options.failureMode)) {
    throw new RateLimitConfigError(
      `failureMode must be 'throw', 'allow' or 'deny', got ${String(options.failureMode)}`,
    );
  }
  const rules = rulesOf(options.rules);
  const limiter = limiterOf(options as HttpRateLimitOptions<unknown>);
  const { key, skip, onError, failureMode } = options;
  const ipv6PrefixLength = options.ipv6PrefixLength ?? 64;
  if (!Number.isInteger(ipv6PrefixLength) || ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
    throw new RateLimitConfigError(
      `ipv6PrefixLength must be an integer from 1 to 128, got ${ipv6PrefixLength}`,
    );
  }
  const storeKey = options.storeKey ?? ((k: string, rule: RateLimitRule) => `${rule.name}:${k}`);

  const fail = (
    error: unknown,
    req: Req,
    subject: string | undefined,
    items: readonly RateLimitItem[],
  ): RateLimitInfo => {
    const typed = toRateLimitError(error);
    if (typed instanceof RateLimitConfigError) throw typed;
    try {
      onError?.(typed, req);
    } catch {
      // A failing error hook must not turn an answer into a crash.
    }
    if (failureMode === 'throw') throw typed;
    const fallbackItems = items.length > 0 ? items : rules.map((rule) => ({ key: '', rule }));
    return infoOf(
      subject,
      rules,
      fallbackItems,
      consumeAllFallback(fallbackItems, rules, failureMode === 'allow'),
      typed,
    );
  };

  return {
    headers: options.headers ?? true,
    async check(req, ip) {
      if (skip !== undefined && (await skip(req))) return undefined;
      let subject: string | undefined;
      let items: RateLimitItem[] = [];
      try {
        subject = key === undefined ? ipKey(ip(), ipv6PrefixLength) : await userKey(key, req);
        const s = subject;
        items = rules.map((rule) => ({ key: storeKey(s, rule), rule }));
        // One rule takes `consume`, which the limiter coalesces per tick; the decision is the same.
        const only = items.length === 1 ? items[0]! : undefined;
        const decision =
          only === undefined
            ? await limiter.consumeAll(items)
            : combineDecisions(items, [await limiter.consume(only.key, only.rule)]);
        return infoOf(subject, rules, items, decision);
      } catch (error) {
        if (!(error instanceof RateLimitError)) throw error;
        return fail(error, req, subject, items);
      }
    },
  };
}
