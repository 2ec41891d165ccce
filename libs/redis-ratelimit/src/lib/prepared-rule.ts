// Rules are usually module constants used for millions of calls: validate each once and keep what
// the hot path sends (ARGV as strings, so ioredis converts no numbers) and the reply mapper.
import type { RateLimitDecision, RateLimitRule } from '../types.js';
import { consumeDecision, fallbackDecision } from './decisions.js';
import type { ConsumeReply } from './store.js';
import { ruleProblem } from './validate.js';

/** A validated rule and what `consume` sends for it. */
export interface PreparedRule {
  readonly limit: number;
  readonly windowMs: number;
  readonly countDenied: boolean;
  /** `consumeWindow-1.lua` ARGV: `[limit, windowMs]`, plus `"1"` when `countDenied`. */
  readonly argv: readonly string[];
  /** Maps a `consumeWindow` reply to the decision (one function per rule, not per call). */
  readonly decide: (reply: ConsumeReply) => RateLimitDecision;
  /** The failure mode's decision (`allow` or `deny`) when the store failed. */
  readonly fallback: (allow: boolean) => RateLimitDecision;
}

const cache = new WeakMap<object, PreparedRule>();
// Rule objects seen once and not cached yet; one that comes back while still listed is cached.
// Caching every rule on sight would make a rule built per call (`consume(key, { limit, … })`) pay
// a WeakMap insert and its garbage collection, about 1 µs a call: more than preparing it again.
const seenOnce: unknown[] = Array.from({ length: 16 });
let seenNext = 0;

/**
 * The prepared form of `rule`, or the reason it is invalid. A cached entry is reused only while
 * the rule's fields still match it, so a rule object changed after use is checked again.
 */
export function prepareRule(rule: RateLimitRule): PreparedRule | string {
  const hit = cache.get(rule);
  if (
    hit !== undefined &&
    hit.limit === rule.limit &&
    hit.windowMs === rule.windowMs &&
    hit.countDenied === (rule.countDenied === true)
  ) {
    return hit;
  }
  const problem = ruleProblem(rule);
  if (problem !== undefined) return problem;
  const { limit, windowMs } = rule;
  const countDenied = rule.countDenied === true;
  const prepared: PreparedRule = {
    limit,
    windowMs,
    countDenied,
    argv: countDenied ? [String(limit), String(windowMs), '1'] : [String(limit), String(windowMs)],
    decide: (reply) => consumeDecision(reply, limit),
    fallback: (allow) => fallbackDecision(prepared, allow),
  };
  if (typeof rule === 'object') {
    if (hit !== undefined || seenOnce.includes(rule)) {
      cache.set(rule, prepared);
    } else {
      seenOnce[seenNext] = rule;
      seenNext = (seenNext + 1) % seenOnce.length;
    }
  }
  return prepared;
}
