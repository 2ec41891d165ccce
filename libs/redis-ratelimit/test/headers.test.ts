import { describe, expect, it } from 'vitest';
import {
  RateLimitConfigError,
  rateLimitField,
  rateLimitHeaders,
  rateLimitPolicyField,
  retryAfterHeader,
  type RateLimitDecision,
} from '@tses/redis-ratelimit';

const allowed: RateLimitDecision = {
  allowed: true,
  limit: 10,
  remaining: 3,
  retryAfterMs: 0,
  resetInMs: 1_799_001,
};
const denied: RateLimitDecision = {
  allowed: false,
  limit: 3,
  remaining: 0,
  retryAfterMs: 42_000,
  resetInMs: 41_500,
};

describe('header helpers', () => {
  it('renders the named-policy form of RateLimit-Policy and RateLimit', () => {
    const rule = { name: 'name', limit: 10, windowMs: 3_600_000 };
    expect(rateLimitPolicyField(rule)).toBe('"name";q=10;w=3600');
    expect(rateLimitField(rule, allowed)).toBe('"name";r=3;t=1800');
  });

  it('is opt-in per policy: unnamed rules are left out of the RateLimit fields', () => {
    expect(rateLimitPolicyField({ limit: 1, windowMs: 1000 })).toBeUndefined();
    const headers = rateLimitHeaders([
      { rule: { name: 'hour', limit: 10, windowMs: 3_600_000 }, decision: allowed },
      { rule: { limit: 3, windowMs: 60_000 }, decision: denied },
    ]);
    expect(headers).toEqual({
      'RateLimit-Policy': '"hour";q=10;w=3600',
      RateLimit: '"hour";r=3;t=1800',
      'Retry-After': '42',
    });
    expect(rateLimitHeaders([{ rule: { limit: 3, windowMs: 60_000 }, decision: allowed }])).toEqual({});
  });

  it('lists several policies and escapes names as structured-field strings', () => {
    const headers = rateLimitHeaders([
      { rule: { name: 'a"b', limit: 3, windowMs: 600_000 }, decision: denied },
      { rule: { name: 'c\\d', limit: 10, windowMs: 500 }, decision: allowed },
    ]);
    expect(headers['RateLimit-Policy']).toBe('"a\\"b";q=3;w=600, "c\\\\d";q=10;w=1');
    expect(headers['RateLimit']).toBe('"a\\"b";r=0;t=42, "c\\\\d";r=3;t=1800');
    expect(() => rateLimitPolicyField({ name: 'é', limit: 1, windowMs: 1000 })).toThrow(RateLimitConfigError);
  });

  it('Retry-After is whole seconds for a denial, absent when allowed', () => {
    expect(retryAfterHeader(denied)).toBe('42');
    expect(retryAfterHeader({ allowed: false, retryAfterMs: 1000 })).toBe('1');
    expect(retryAfterHeader(allowed)).toBeUndefined();
  });
});
