// Replies → the public decision shapes. Kept allocation-light: this runs once per `consume`.
import type { RateLimitAllDecision, RateLimitDecision, RateLimitItem, RateLimitRule } from '../types.js';
import type { ConsumeReply, WindowReply } from './store.js';

/** Retry-after for a denial: the window's PTTL rounded up to whole seconds, at least 1 s. */
function retryAfterFromTtl(ttlMs: number): number {
  return ttlMs <= 1000 ? 1000 : Math.ceil(ttlMs / 1000) * 1000;
}

/**
 * Decision from a signed window reply: `n > 0` counted (or, in a denied `consumeAll`, a rule with
 * room, nothing counted), `n = 0` no hits yet, `n < 0` exhausted.
 */
export function windowDecision(n: number, ttlMs: number, limit: number): RateLimitDecision {
  if (n < 0) {
    return { allowed: false, limit, remaining: 0, retryAfterMs: retryAfterFromTtl(ttlMs), resetInMs: ttlMs };
  }
  return { allowed: true, limit, remaining: n < limit ? limit - n : 0, retryAfterMs: 0, resetInMs: ttlMs };
}

const TWO_32 = 4294967296;

/** A `consumeWindow` reply as `[n, ttlMs]`, unpacking the one-integer form. */
export function unpackConsume(reply: ConsumeReply): WindowReply {
  if (typeof reply !== 'number') return reply;
  const packed = reply < 0 ? -reply : reply;
  const n = Math.floor(packed / TWO_32);
  return [reply < 0 ? -n : n, packed - n * TWO_32];
}

/** Decision from a `consumeWindow` reply, packed (one integer) or not; allocation-free unpacking. */
export function consumeDecision(reply: ConsumeReply, limit: number): RateLimitDecision {
  if (typeof reply !== 'number') return windowDecision(reply[0], reply[1], limit);
  const packed = reply < 0 ? -reply : reply;
  const n = Math.floor(packed / TWO_32);
  return windowDecision(reply < 0 ? -n : n, packed - n * TWO_32, limit);
}

/** Decision from a `[count, ttlMs]` read: would the next hit be admitted? */
export function peekDecision(count: number, ttlMs: number, limit: number): RateLimitDecision {
  if (count >= limit) {
    return { allowed: false, limit, remaining: 0, retryAfterMs: retryAfterFromTtl(ttlMs), resetInMs: ttlMs };
  }
  return { allowed: true, limit, remaining: limit - count, retryAfterMs: 0, resetInMs: ttlMs };
}

/** Decision returned by the `allow`/`deny` failure modes when the store failed. */
export function fallbackDecision(rule: RateLimitRule, allowed: boolean): RateLimitDecision {
  if (allowed) return { allowed, limit: rule.limit, remaining: rule.limit, retryAfterMs: 0, resetInMs: 0 };
  // Denying for a whole long window over an outage would lock users out; cap the hint at 60 s.
  const retryAfterMs = retryAfterFromTtl(Math.min(rule.windowMs, 60_000));
  return { allowed, limit: rule.limit, remaining: 0, retryAfterMs, resetInMs: 0 };
}

/** Combines per-item decisions: denied when any is, bound by the longest retry-after. */
export function combineDecisions(
  items: readonly RateLimitItem[],
  decisions: readonly RateLimitDecision[],
): RateLimitAllDecision {
  let blockedIndex = -1;
  let retryAfterMs = 0;
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i]!;
    if (!d.allowed && (blockedIndex === -1 || d.retryAfterMs > retryAfterMs)) {
      blockedIndex = i;
      retryAfterMs = d.retryAfterMs;
    }
  }
  if (blockedIndex === -1) return { allowed: true, decisions, retryAfterMs: 0 };
  return { allowed: false, decisions, blockedIndex, blockedBy: items[blockedIndex]!, retryAfterMs };
}

/** A `consumeAll` decision from its `[n1, ttl1, n2, ttl2, …]` reply (`consumeWindows-n.lua`). */
export function consumeAllDecision(
  items: readonly RateLimitItem[],
  limits: readonly { readonly limit: number }[],
  flat: readonly number[],
): RateLimitAllDecision {
  const decisions: RateLimitDecision[] = [];
  for (let i = 0; i < limits.length; i++) {
    decisions.push(windowDecision(flat[2 * i]!, flat[2 * i + 1]!, limits[i]!.limit));
  }
  return combineDecisions(items, decisions);
}

/** The `consumeAll` decision of the `allow`/`deny` failure modes when the store failed. */
export function consumeAllFallback(
  items: readonly RateLimitItem[],
  rules: readonly RateLimitRule[],
  allow: boolean,
): RateLimitAllDecision {
  return combineDecisions(
    items,
    rules.map((rule) => fallbackDecision(rule, allow)),
  );
}
