// Invalid middleware options fail at creation, as RateLimitConfigError naming the option, in
// every adapter (they share one check); the key error follows the package's error recipe.
import { describe, expect, it } from 'vitest';
import { MemoryStore, RateLimitConfigError, RateLimitError, RateLimitKeyError } from '@tses/redis-ratelimit';
import { rateLimit as koa } from '@tses/redis-ratelimit/koa';
import { rateLimit as express } from '@tses/redis-ratelimit/express';
import { rateLimit as hono } from '@tses/redis-ratelimit/hono';

const store = new MemoryStore();
const rule = { name: 'api', limit: 1, windowMs: 1000 };

describe('HTTP middleware options', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a rule without a name',
      { store, failureMode: 'throw', rules: { limit: 1, windowMs: 1000 } },
      /distinct, non-empty name/,
    ],
    [
      'two rules of one name',
      { store, failureMode: 'throw', rules: [rule, rule] },
      /distinct, non-empty name/,
    ],
    ['no rules', { store, failureMode: 'throw', rules: [] }, /non-empty list of rules/],
    [
      'a policy name that is no sf-string',
      { store, failureMode: 'throw', rules: { ...rule, name: 'é' } },
      /printable ASCII/,
    ],
    ['no store', { failureMode: 'throw', rules: rule }, /exactly one of `limiter`, `redis` or `store`/],
    ['a limiter and a store', { store, limiter: {}, failureMode: 'throw', rules: rule }, /exactly one of/],
    ['no failure mode', { store, rules: rule }, /failureMode must be/],
    [
      'an IPv6 prefix out of range',
      { store, failureMode: 'throw', rules: rule, ipv6PrefixLength: 0 },
      /ipv6PrefixLength/,
    ],
  ];
  it.each(cases)('%s → RateLimitConfigError', (_name, options, message) => {
    for (const factory of [koa, express]) {
      expect(() => factory(options as never)).toThrow(RateLimitConfigError);
      expect(() => factory(options as never)).toThrow(message);
    }
  });

  it('Hono needs getConnInfo or a key: it has no runtime-neutral client address', () => {
    expect(() => hono({ store, failureMode: 'throw', rules: rule })).toThrow(/give `getConnInfo`/);
    expect(() => hono({ store, failureMode: 'throw', rules: rule, key: () => 'k' })).not.toThrow();
  });

  it('RateLimitKeyError follows the error recipe', () => {
    const cause = new Error('no session');
    const error = new RateLimitKeyError('no key', { cause });
    expect(error).toBeInstanceOf(RateLimitError);
    expect([error.name, error.code, RateLimitKeyError.code, error.cause]).toEqual([
      'RateLimitKeyError',
      'ERR_RATELIMIT_KEY',
      'ERR_RATELIMIT_KEY',
      cause,
    ]);
  });
});
