import type { LockoutPolicy, RateLimitRule } from '../types.js';
import { RateLimitConfigError } from './errors.js';

const isPositiveInt = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

/** `undefined` when the rule is usable, else the reason. Cheap enough for every call. */
export function ruleProblem(rule: RateLimitRule): string | undefined {
  if (!isPositiveInt(rule?.limit)) return `rule.limit must be a positive integer, got ${String(rule?.limit)}`;
  if (!isPositiveInt(rule.windowMs))
    return `rule.windowMs must be a positive integer, got ${String(rule.windowMs)}`;
  return undefined;
}

/** `undefined` when the key is usable, else the reason. */
export function keyProblem(key: string): string | undefined {
  return typeof key === 'string' && key.length > 0 ? undefined : 'key must be a non-empty string';
}

/** Throws `RateLimitConfigError` for a policy that is not positive integers. */
export function assertPolicy(policy: LockoutPolicy): void {
  for (const field of ['maxFailures', 'windowMs', 'lockMs'] as const) {
    const value = policy?.[field];
    if (field === 'lockMs' && value === undefined) continue;
    if (!isPositiveInt(value)) {
      throw new RateLimitConfigError(`policy.${field} must be a positive integer, got ${String(value)}`);
    }
  }
}

/** Throws `RateLimitConfigError` unless `ms` is a positive integer. */
export function assertTimeout(ms: number): void {
  if (!isPositiveInt(ms)) throw new RateLimitConfigError(`timeoutMs must be a positive integer, got ${ms}`);
}
