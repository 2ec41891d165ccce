// One behaviour contract for every backend: memory, standalone Redis and Redis Cluster run the
// same tests through the public API. Timing assertions use bounds (two shared CPU cores).
import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Lockout,
  RateLimiter,
  type RateLimiterOptions,
  type RateLimitRule,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { assertKeysHealthy, sleep } from './services.js';

export interface Harness {
  /** A limiter and a lockout over the backend, under `prefix`. */
  make(prefix: string): { limiter: RateLimiter; lockout: Lockout };
  /** Backend-specific checks after each test (finite TTLs, no negative counts). */
  check(prefix: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The harness of a Redis backend: a limiter and a lockout on `redis` (any client the library
 * takes), the keys checked through `admin` (an ioredis client on the same server or cluster,
 * whatever the client under test), both closed at the end.
 */
export function redisHarness(
  redis: RedisClient,
  admin: Redis | Cluster,
  close: () => unknown,
  options: Pick<RateLimiterOptions, 'shield' | 'coalesce'> = {},
): Harness {
  return {
    make: (keyPrefix) => ({
      limiter: new RateLimiter({ redis, keyPrefix, failureMode: 'throw', ...options }),
      lockout: new Lockout({ redis, keyPrefix, failureMode: 'throw' }),
    }),
    check: async (prefix) => void (await assertKeysHealthy(admin, prefix)),
    close: async () => {
      await close();
      admin.disconnect();
    },
  };
}

export function describeContract(name: string, open: () => Harness | Promise<Harness>): void {
  describe(`contract: ${name}`, () => {
    let harness: Harness;
    let prefix: string;
    let limiter: RateLimiter;
    let lockout: Lockout;

    beforeAll(async () => {
      harness = await open();
    });
    afterAll(async () => harness?.close());
    beforeEach(() => {
      prefix = `test:${randomUUID()}:`;
      ({ limiter, lockout } = harness.make(prefix));
    });
    afterEach(async () => harness.check(prefix));

    it('allows up to the limit, then denies with 1 s <= retry-after <= window', async () => {
      const rule = { limit: 3, windowMs: 5000 };
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await limiter.consume('k', rule));
      expect(results.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(results.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
      for (const d of results.slice(0, 3)) expect(d.retryAfterMs).toBe(0);
      for (const d of results.slice(3)) {
        expect(d.retryAfterMs).toBeGreaterThanOrEqual(1000);
        expect(d.retryAfterMs).toBeLessThanOrEqual(rule.windowMs);
        expect(d.retryAfterMs % 1000).toBe(0);
        expect(d.resetInMs).toBeGreaterThan(0);
        expect(d.resetInMs).toBeLessThanOrEqual(rule.windowMs);
      }
      expect((await limiter.peek('k', rule)).remaining).toBe(0);
    });

    it('later hits do not extend the window; it ends one window after the first hit', async () => {
      const rule = { limit: 10, windowMs: 1500 };
      const first = await limiter.consume('k', rule);
      expect(first.resetInMs).toBeLessThanOrEqual(1500);
      await sleep(600);
      const later = await limiter.consume('k', rule);
      expect(later.resetInMs).toBeLessThanOrEqual(1500 - 500);
      await sleep(1100); // > 1500 ms after the first hit
      const fresh = await limiter.consume('k', rule);
      expect(fresh.remaining).toBe(9);
    });

    it('retry-after shrinks as time passes', async () => {
      const rule = { limit: 1, windowMs: 4000 };
      await limiter.consume('k', rule);
      const a = await limiter.consume('k', rule);
      await sleep(1200);
      const b = await limiter.consume('k', rule);
      expect(a.allowed || b.allowed).toBe(false);
      expect(b.resetInMs).toBeLessThan(a.resetInMs - 1000);
      expect(b.retryAfterMs).toBeLessThan(a.retryAfterMs);
      expect(b.retryAfterMs).toBeGreaterThanOrEqual(1000);
    });

    it('supports windows below one second', async () => {
      const rule = { limit: 2, windowMs: 250 };
      expect((await limiter.consume('k', rule)).allowed).toBe(true);
      expect((await limiter.consume('k', rule)).allowed).toBe(true);
      const denied = await limiter.consume('k', rule);
      expect(denied.allowed).toBe(false);
      expect(denied.retryAfterMs).toBe(1000);
      expect(denied.resetInMs).toBeLessThanOrEqual(250);
      await sleep(400);
      expect((await limiter.consume('k', rule)).remaining).toBe(1);
    });

    it('500 concurrent consumes on one key with limit 3 allow exactly 3', async () => {
      const rule = { limit: 3, windowMs: 10_000 };
      const decisions = await Promise.all(Array.from({ length: 500 }, () => limiter.consume('hot', rule)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
      expect((await limiter.peek('hot', { limit: 1000, windowMs: 10_000 })).remaining).toBe(997);
    });

    it('countDenied keeps denied hits counted; remaining never goes negative', async () => {
      const rule = { limit: 2, windowMs: 5000, countDenied: true };
      for (let i = 0; i < 4; i++) await limiter.consume('k', rule);
      expect((await limiter.peek('k', { limit: 100, windowMs: 5000 })).remaining).toBe(96);
      const d = await limiter.consume('k', rule);
      expect(d).toMatchObject({ allowed: false, remaining: 0 });
    });

    it('peek does not count; refund never goes below zero; reset deletes one key', async () => {
      const rule = { limit: 3, windowMs: 5000 };
      expect(await limiter.peek('k', rule)).toEqual({
        allowed: true,
        limit: 3,
        remaining: 3,
        retryAfterMs: 0,
        resetInMs: 0,
      });
      await limiter.consume('k', rule);
      await limiter.consume('k', rule);
      expect((await limiter.peek('k', rule)).remaining).toBe(1);
      expect((await limiter.refund('k', rule)).remaining).toBe(2);
      expect((await limiter.refund('k', rule, 5)).remaining).toBe(3);
      expect((await limiter.refund('never-hit', rule)).remaining).toBe(3);
      // A refund keeps the window's end: the next hit does not open a new, longer window.
      const before = (await limiter.peek('k', rule)).resetInMs;
      await sleep(300);
      const after = await limiter.consume('k', rule);
      expect(after.resetInMs).toBeLessThanOrEqual(before - 200);
      await limiter.consume('other', rule);
      await limiter.reset('k');
      expect((await limiter.peek('k', rule)).remaining).toBe(3);
      expect((await limiter.peek('other', rule)).remaining).toBe(2);
    });

    it('consumeAll counts nothing when any rule is exhausted and names the binding rule', async () => {
      const perEmail: RateLimitRule = { name: 'email', limit: 1, windowMs: 3000 };
      const perIp: RateLimitRule = { name: 'ip', limit: 10, windowMs: 6000 };
      const items = [
        { key: 'email:a@example.com', rule: perEmail },
        { key: 'ip:203.0.113.7', rule: perIp },
      ];
      const ok = await limiter.consumeAll(items);
      expect(ok.allowed).toBe(true);
      expect(ok.retryAfterMs).toBe(0);
      expect(ok.decisions.map((d) => d.remaining)).toEqual([0, 9]);

      const denied = await limiter.consumeAll(items);
      expect(denied).toMatchObject({ allowed: false, blockedIndex: 0, blockedBy: items[0] });
      expect(denied.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(3000);
      expect(denied.decisions[1]).toMatchObject({ allowed: true, remaining: 9 });
      expect((await limiter.peek(items[1]!.key, perIp)).remaining).toBe(9);

      // Two exhausted rules: the one with the longest retry-after binds.
      await limiter.consume('ip:198.51.100.1', { limit: 1, windowMs: 6000 });
      const both = await limiter.consumeAll([
        { key: 'email:a@example.com', rule: perEmail },
        { key: 'ip:198.51.100.1', rule: { name: 'ip', limit: 1, windowMs: 6000 } },
      ]);
      expect(both.blockedIndex).toBe(1);
      expect(both.retryAfterMs).toBeGreaterThan(3000);
    });

    it('consumeAll honours countDenied per rule', async () => {
      const exhausted = { limit: 1, windowMs: 5000 };
      const counting = { limit: 10, windowMs: 5000, countDenied: true };
      await limiter.consume('a', exhausted);
      const d = await limiter.consumeAll([
        { key: 'a', rule: exhausted },
        { key: 'b', rule: counting },
        { key: 'c', rule: { limit: 10, windowMs: 5000 } },
      ]);
      expect(d.allowed).toBe(false);
      expect((await limiter.peek('a', exhausted)).remaining).toBe(0);
      expect((await limiter.peek('b', counting)).remaining).toBe(9);
      expect((await limiter.peek('c', counting)).remaining).toBe(10);
    });

    it('concurrent consumeAll over two rules never over-consumes either', async () => {
      const email = { limit: 3, windowMs: 10_000 };
      const ip = { limit: 10, windowMs: 10_000 };
      const both = [
        { key: 'email:x@example.com', rule: email },
        { key: 'ip:192.0.2.1', rule: ip },
      ];
      const [all, single] = await Promise.all([
        Promise.all(Array.from({ length: 100 }, () => limiter.consumeAll(both))),
        Promise.all(Array.from({ length: 100 }, () => limiter.consume('ip:192.0.2.1', ip))),
      ]);
      const allowedAll = all.filter((d) => d.allowed).length;
      const allowedSingle = single.filter((d) => d.allowed).length;
      expect(allowedAll).toBeLessThanOrEqual(3);
      expect(allowedAll + allowedSingle).toBe(10);
      const wide = { limit: 1000, windowMs: 10_000 };
      expect(1000 - (await limiter.peek('email:x@example.com', wide)).remaining).toBe(allowedAll);
      expect(1000 - (await limiter.peek('ip:192.0.2.1', wide)).remaining).toBe(10);
    });

    it('concurrent consumeAll: a rule denied by a race is compensated (exact counts)', async () => {
      const roomy = { limit: 1000, windowMs: 10_000 };
      const tight = { limit: 3, windowMs: 10_000 };
      const items = [
        { key: 'wide', rule: roomy },
        { key: 'narrow', rule: tight },
      ];
      const decisions = await Promise.all(Array.from({ length: 200 }, () => limiter.consumeAll(items)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
      expect((await limiter.peek('wide', roomy)).remaining).toBe(997);
      expect((await limiter.peek('narrow', tight)).remaining).toBe(0);
      for (const d of decisions.filter((x) => !x.allowed)) expect(d.blockedIndex).toBe(1);
    });

    it('consumeAll with keys sharing a hash tag', async () => {
      const rule = { limit: 2, windowMs: 5000 };
      const items = [
        { key: '{user:42}:email', rule },
        { key: '{user:42}:ip', rule },
        { key: '{user:42}:device', rule },
      ];
      expect((await limiter.consumeAll(items)).allowed).toBe(true);
      expect((await limiter.consumeAll(items)).allowed).toBe(true);
      expect((await limiter.consumeAll(items)).allowed).toBe(false);
    });

    it('lockout: the failure that reaches maxFailures locks atomically; check and clear', async () => {
      const policy = { maxFailures: 5, windowMs: 10_000, lockMs: 3000 };
      const states = [];
      for (let i = 0; i < 4; i++) states.push(await lockout.fail('subject', policy));
      expect(states.map((s) => s.attemptsRemaining)).toEqual([4, 3, 2, 1]);
      expect(states.every((s) => !s.locked && s.lockedForMs === 0)).toBe(true);
      const fifth = await lockout.fail('subject', policy);
      expect(fifth).toMatchObject({ locked: true, failures: 5, attemptsRemaining: 0 });
      expect(fifth.lockedForMs).toBeGreaterThan(2000);
      expect(fifth.lockedForMs).toBeLessThanOrEqual(3000);
      await sleep(300);
      const again = await lockout.fail('subject', policy);
      expect(again.locked).toBe(true);
      expect(again.lockedForMs).toBeLessThan(fifth.lockedForMs); // not extended
      expect((await lockout.check('subject', policy)).locked).toBe(true);
      await lockout.clear('subject');
      expect(await lockout.check('subject', policy)).toEqual({
        locked: false,
        failures: 0,
        attemptsRemaining: 5,
        lockedForMs: 0,
      });
    });

    it('lockout: a lock and a failure window both expire', async () => {
      const policy = { maxFailures: 2, windowMs: 300, lockMs: 400 };
      await lockout.fail('window', policy);
      await sleep(450);
      expect((await lockout.fail('window', policy)).locked).toBe(false); // the first failure expired
      await lockout.fail('lock', policy);
      expect((await lockout.fail('lock', policy)).locked).toBe(true);
      await sleep(550);
      expect((await lockout.check('lock', policy)).locked).toBe(false);
    });

    it('concurrent failures lock exactly once at maxFailures', async () => {
      const policy = { maxFailures: 5, windowMs: 10_000 };
      const states = await Promise.all(Array.from({ length: 50 }, () => lockout.fail('burst', policy)));
      expect(states.filter((s) => !s.locked)).toHaveLength(4);
      expect((await lockout.check('burst', policy)).failures).toBe(5);
    });
  });
}
