// The local shield (`shield: true`): exact counts under concurrency, no Redis call for a key it
// knows exhausted (counted with INFO commandstats on a private redis-server), its size cap, its
// expiry at the window's end, `refund`/`reset` clearing it, `countDenied` never answered from
// memory, `consumeAll`, and what another process's reset means. For each fully tested client, and
// the exact counts on the Cluster.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, RateLimiter, RateLimitConfigError, type RateLimitRule } from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { FULL_CLIENTS, type TestClient } from './support/clients.js';
import { assertKeysHealthy, clusterNodes, connectCluster, sleep } from './support/services.js';

/** EVALSHAs the server has run so far (INFO commandstats). */
async function evalshas(admin: Redis): Promise<number> {
  const stats = String(await admin.info('commandstats'));
  return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

describe.each(FULL_CLIENTS)('local shield (private redis-server), $name', (kind) => {
  let server: PrivateRedis;
  let admin: Redis;
  let connection: TestClient;
  let prefix: string;
  const make = (options: { maxKeys?: number } | true = true, extra: object = {}) =>
    new RateLimiter({
      redis: connection.client,
      keyPrefix: prefix,
      failureMode: 'throw',
      shield: options,
      ...extra,
    });

  beforeAll(async () => {
    server = await PrivateRedis.start();
    admin = server.admin();
    connection = await kind.standalone(server.url);
  });
  afterAll(async () => {
    await connection?.close();
    admin?.disconnect();
    await server?.stop();
  });

  it('300 concurrent consumes with limit 5 allow exactly 5; Redis then sees no call for the key', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make();
    const rule = { limit: 5, windowMs: 10_000 };
    const first = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('hot', rule)));
    expect(first.filter((d) => d.allowed)).toHaveLength(5);
    const before = await evalshas(admin);
    const again = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('hot', rule)));
    expect(await evalshas(admin)).toBe(before);
    expect(again.every((d) => !d.allowed && d.remaining === 0 && d.limit === 5)).toBe(true);
    const ttl = await admin.pttl(`${prefix}hot`);
    for (const d of again) {
      // From the remembered end, never after Redis's own (1 ms for rounding up).
      expect(d.resetInMs).toBeLessThanOrEqual(ttl + 1);
      expect(d.resetInMs).toBeGreaterThan(ttl - 1000);
      expect(d.retryAfterMs).toBe(Math.ceil(d.resetInMs / 1000) * 1000);
    }
    expect(await admin.get(`${prefix}hot`)).toBe('5');
    // A rule with a higher limit on the same key is not exhausted: Redis decides.
    expect((await limiter.consume('hot', { limit: 6, windowMs: 10_000 })).allowed).toBe(true);
    expect(await evalshas(admin)).toBe(before + 1);
    await assertKeysHealthy(admin, prefix);
  });

  it('the allowed hit that leaves no room shields the key; the shield ends with the window', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make();
    const rule = { limit: 2, windowMs: 400 };
    expect((await limiter.consume('k', rule)).remaining).toBe(1);
    expect((await limiter.consume('k', rule)).remaining).toBe(0);
    const before = await evalshas(admin);
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
    expect(await evalshas(admin)).toBe(before);
    await sleep(500); // the window has ended in Redis, and so has the shield's entry
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await evalshas(admin)).toBe(before + 1);
  });

  it('keeps at most maxKeys, forgetting the least recently used', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make({ maxKeys: 3 });
    const rule = { limit: 1, windowMs: 10_000 };
    for (const key of ['a', 'b', 'c']) await limiter.consume(key, rule); // each now exhausted
    await limiter.consume('a', rule); // from the shield: `a` is now the most recently used
    await limiter.consume('d', rule); // the fourth key: `b` (least recently used) is forgotten
    const before = await evalshas(admin);
    for (const key of ['a', 'c', 'd']) expect((await limiter.consume(key, rule)).allowed).toBe(false);
    expect(await evalshas(admin)).toBe(before);
    expect((await limiter.consume('b', rule)).allowed).toBe(false); // from Redis, and shielded again
    expect(await evalshas(admin)).toBe(before + 1);
    expect(() => make({ maxKeys: 0 })).toThrow(RateLimitConfigError);
  });

  it('refund and reset clear the key; another process’s reset is not seen until the window ends', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make();
    const elsewhere = new RateLimiter({ redis: connection.client, keyPrefix: prefix, failureMode: 'throw' });
    const rule = { limit: 2, windowMs: 10_000 };
    await Promise.all([limiter.consume('k', rule), limiter.consume('k', rule), limiter.consume('k', rule)]);
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
    expect((await limiter.refund('k', rule)).remaining).toBe(1);
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
    await limiter.reset('k');
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    await limiter.consume('k', rule);

    // Another limiter (as another process would) gives the hits back: this one does not know.
    await elsewhere.reset('k');
    const before = await evalshas(admin);
    expect((await limiter.consume('k', rule)).allowed).toBe(false);
    expect(await evalshas(admin)).toBe(before);
    expect((await elsewhere.consume('k', rule)).allowed).toBe(true);
  });

  it('countDenied rules always go to Redis, which counts every denied hit', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make();
    const rule = { limit: 2, windowMs: 10_000, countDenied: true };
    await Promise.all(Array.from({ length: 5 }, () => limiter.consume('k', rule)));
    const before = await evalshas(admin);
    for (let i = 0; i < 3; i++) expect((await limiter.consume('k', rule)).allowed).toBe(false);
    expect(await evalshas(admin)).toBe(before + 3);
    expect(await admin.get(`${prefix}k`)).toBe('8');
    // The same key under a rule without countDenied is answered from memory (Redis said: exhausted).
    expect((await limiter.consume('k', { limit: 2, windowMs: 10_000 })).allowed).toBe(false);
    expect(await evalshas(admin)).toBe(before + 3);
  });

  it('consumeAll: from memory when every rule is known exhausted, else from Redis; never counts', async () => {
    prefix = `test:${randomUUID()}:`;
    const limiter = make();
    const email: RateLimitRule = { name: 'email', limit: 1, windowMs: 10_000 };
    const ip: RateLimitRule = { name: 'ip', limit: 3, windowMs: 20_000 };
    const items = [
      { key: 'email:a', rule: email },
      { key: 'ip:1', rule: ip },
    ];
    expect((await limiter.consumeAll(items)).allowed).toBe(true); // email: no room left, shielded
    const before = await evalshas(admin);
    // One rule shielded, the other not: Redis decides (and tells the other rule's exact room).
    const partly = await limiter.consumeAll(items);
    expect(partly).toMatchObject({ allowed: false, blockedIndex: 0 });
    expect(partly.decisions[1]).toMatchObject({ allowed: true, remaining: 2 });
    expect(await evalshas(admin)).toBe(before + 1);
    await limiter.consume('ip:1', ip);
    await limiter.consume('ip:1', ip); // ip: no room left, shielded
    const calls = await evalshas(admin);
    const denied = await Promise.all(Array.from({ length: 50 }, () => limiter.consumeAll(items)));
    expect(await evalshas(admin)).toBe(calls);
    for (const d of denied) {
      expect(d).toMatchObject({ allowed: false, blockedIndex: 1, blockedBy: items[1] });
      expect(d.retryAfterMs).toBeGreaterThan(10_000); // the ip window is the longer one
      expect(d.decisions.map((x) => x.allowed)).toEqual([false, false]);
    }
    expect(await admin.get(`${prefix}email:a`)).toBe('1');
    expect(await admin.get(`${prefix}ip:1`)).toBe('3');
  });
});

describe('local shield on the memory store', () => {
  it('denies from memory with the same decisions', async () => {
    const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw', shield: true });
    const rule = { limit: 3, windowMs: 10_000 };
    const decisions = await Promise.all(Array.from({ length: 10 }, () => limiter.consume('k', rule)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    expect((await limiter.peek('k', rule)).remaining).toBe(0);
    await limiter.refund('k', rule, 3);
    expect((await limiter.consume('k', rule)).remaining).toBe(2);
  });
});

describe.skipIf(!clusterNodes)('local shield on the Redis Cluster', () => {
  for (const kind of FULL_CLIENTS) {
    it(`${kind.name}: exact counts under concurrency, keys on every primary`, async () => {
      const { client, close } = await kind.cluster();
      const admin = connectCluster();
      const prefix = `test:${randomUUID()}:`;
      try {
        const limiter = new RateLimiter({
          redis: client,
          keyPrefix: prefix,
          failureMode: 'throw',
          shield: true,
        });
        const rule = { limit: 5, windowMs: 10_000 };
        const keys = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `{t}:k${i}` : `k${i}`));
        for (let wave = 0; wave < 2; wave++) {
          const decisions = await Promise.all(
            Array.from({ length: 240 }, (_, i) => limiter.consume(keys[i % keys.length]!, rule)),
          );
          expect(decisions.filter((d) => d.allowed)).toHaveLength(wave === 0 ? 60 : 0);
        }
        for (const key of keys) expect((await limiter.peek(key, rule)).remaining).toBe(0);
        expect(await assertKeysHealthy(admin, prefix)).toBe(keys.length);
      } finally {
        await close();
        admin.disconnect();
      }
    });
  }
});
