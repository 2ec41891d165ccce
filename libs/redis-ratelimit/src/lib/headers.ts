// HTTP header fields for rate limits: `Retry-After` (RFC 9110 §10.2.3, delay-seconds) and the IETF
// RateLimit fields in their named-policy form (draft-ietf-httpapi-ratelimit-headers):
//   RateLimit-Policy: "name";q=<quota>;w=<window seconds>
//   RateLimit:        "name";r=<remaining>;t=<seconds until reset>
// Policy names are Structured Field strings (RFC 9651 §3.3.3).
import type { RateLimitDecision, RateLimitRule } from '../types.js';
import { RateLimitConfigError } from './errors.js';

/** One policy to describe: the rule and the decision it produced. */
export interface RateLimitHeaderPolicy {
  readonly rule: RateLimitRule;
  readonly decision: RateLimitDecision;
}

const seconds = (ms: number): number => Math.ceil(ms / 1000);

function sfString(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) {
    throw new RateLimitConfigError(`policy name must be printable ASCII, got ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * `Retry-After` value in whole seconds for a denial.
 *
 * @param decision - A decision (or a `consumeAll` result).
 * @returns Delay-seconds as a string, or `undefined` when the hit was allowed.
 * @throws Never.
 * @example
 * ```ts
 * const value = retryAfterHeader(decision); // "30"
 * if (value) ctx.set('Retry-After', value);
 * ```
 */
export function retryAfterHeader(decision: {
  readonly allowed: boolean;
  readonly retryAfterMs: number;
}): string | undefined {
  return decision.allowed ? undefined : String(seconds(decision.retryAfterMs));
}

/**
 * One `RateLimit-Policy` list member: `"name";q=10;w=3600`.
 *
 * @param rule - A named rule.
 * @returns The member, or `undefined` when the rule has no `name` (names opt a policy in).
 * @throws {@link RateLimitConfigError} When the name is not printable ASCII.
 * @example
 * ```ts
 * rateLimitPolicyField({ name: 'api', limit: 10, windowMs: 3_600_000 }); // '"api";q=10;w=3600'
 * ```
 */
export function rateLimitPolicyField(rule: RateLimitRule): string | undefined {
  if (rule.name === undefined) return undefined;
  return `${sfString(rule.name)};q=${rule.limit};w=${seconds(rule.windowMs)}`;
}

/**
 * One `RateLimit` list member: `"name";r=3;t=1800`.
 *
 * @param rule - A named rule.
 * @param decision - The decision it produced.
 * @returns The member, or `undefined` when the rule has no `name`.
 * @throws {@link RateLimitConfigError} When the name is not printable ASCII.
 * @example
 * ```ts
 * rateLimitField(rule, decision); // '"api";r=3;t=1800'
 * ```
 */
export function rateLimitField(rule: RateLimitRule, decision: RateLimitDecision): string | undefined {
  if (rule.name === undefined) return undefined;
  return `${sfString(rule.name)};r=${decision.remaining};t=${seconds(decision.resetInMs)}`;
}

/**
 * All rate-limit response headers for some policies: `RateLimit-Policy` and `RateLimit` list the
 * named rules (unnamed ones are left out: naming a rule opts it in), and `Retry-After` carries the
 * longest retry-after when any of them denied.
 *
 * @param policies - The rules to describe with their decisions (e.g. every item of a `consumeAll`).
 * @returns Header name → value; empty when there is nothing to say.
 * @throws {@link RateLimitConfigError} When a name is not printable ASCII.
 * @example
 * ```ts
 * const d = await limiter.consumeAll(items);
 * const headers = rateLimitHeaders(items.map((item, i) => ({ rule: item.rule, decision: d.decisions[i]! })));
 * for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
 * ```
 */
export function rateLimitHeaders(policies: readonly RateLimitHeaderPolicy[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const policy: string[] = [];
  const state: string[] = [];
  let retryAfterMs = 0;
  for (const { rule, decision } of policies) {
    const p = rateLimitPolicyField(rule);
    if (p !== undefined) {
      policy.push(p);
      state.push(rateLimitField(rule, decision)!);
    }
    if (!decision.allowed && decision.retryAfterMs > retryAfterMs) retryAfterMs = decision.retryAfterMs;
  }
  if (policy.length > 0) {
    headers['RateLimit-Policy'] = policy.join(', ');
    headers['RateLimit'] = state.join(', ');
  }
  if (retryAfterMs > 0) headers['Retry-After'] = String(seconds(retryAfterMs));
  return headers;
}
