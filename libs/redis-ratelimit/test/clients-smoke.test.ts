// The other supported clients (ioredis 5, node-redis 5, iovalkey), taken as they are: the main
// guarantees in one pass each, standalone and on the Cluster (the full set runs on ioredis 6 and
// node-redis 6 in the other files). Exact counts under concurrency, a TTL on every key, a lost
// script cache and a restart invisible, the typed error in time on an outage, nothing replayed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lockout, RateLimitError, RateLimiter } from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { SMOKE_CLIENTS } from './support/clients.js';
import { assertKeysHealthy, clusterNodes, connectCluster, connectRedis, until } from './support/services.js';

const TIMEOUT = 300;
// Generous slack for two shared cores; the point is "bounded by the timeout", not "instant".
const SLACK = 400;

describe.each(SMOKE_CLIENTS)('$name', (kind) => {
  const rule = { limit: 3, windowMs: 10_000 };

  it('standalone: exactly N under concurrency, all-or-nothing, lockout, every key with a TTL', async () => {
    const { client: redis, close } = await kind.standalone();
    const admin = connectRedis();
    const keyPrefix = `test:${randomUUID()}:`;
    try {
      const limiter = new RateLimiter({ redis, keyPrefix, failureMode: 'throw' });
      const decisions = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('hot', rule)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
      const items = [
        { key: 'email:a@example.com', rule: { limit: 1, windowMs: 10_000 } },
        { key: 'ip:192.0.2.1', rule },
      ];
      expect((await limiter.consumeAll(items)).allowed).toBe(true);
      expect(await limiter.consumeAll(items)).toMatchObject({ allowed: false, blockedIndex: 0 });
      const lockout = new Lockout({ redis, keyPrefix, failureMode: 'throw' });
      const states = await Promise.all(
        Array.from({ length: 20 }, () => lockout.fail('s', { maxFailures: 5, windowMs: 10_000 })),
      );
      expect(states.filter((s) => !s.locked)).toHaveLength(4);
      expect(await assertKeysHealthy(admin, keyPrefix)).toBe(4);
    } finally {
      await close();
      admin.disconnect();
    }
  });

  it.skipIf(!clusterNodes)(
    'Cluster: exactly N under concurrency, cross-slot all-or-nothing, every key with a TTL',
    async () => {
      const { client: redis, close } = await kind.cluster();
      const admin = connectCluster();
      const keyPrefix = `test:${randomUUID()}:`;
      try {
        const limiter = new RateLimiter({ redis, keyPrefix, failureMode: 'throw' });
        const decisions = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('hot', rule)));
        expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
        // Three slots (three primaries): the compensating path.
        const items = ['{a}:email', '{b}:ip', '{c}:device'].map((key) => ({ key, rule }));
        const all = await Promise.all(Array.from({ length: 30 }, () => limiter.consumeAll(items)));
        expect(all.filter((d) => d.allowed)).toHaveLength(3);
        for (const { key } of items) expect((await limiter.peek(key, rule)).remaining).toBe(0);
        expect(await assertKeysHealthy(admin, keyPrefix)).toBe(4);
      } finally {
        await close();
        admin.disconnect();
      }
    },
  );

  describe('private redis-server', () => {
    let server: PrivateRedis;
    beforeAll(async () => {
      server = await PrivateRedis.start();
    });
    afterAll(async () => server?.stop());

    it('SCRIPT FLUSH and a restart are invisible; an outage gives the typed error in time, replays nothing', async () => {
      const connection = await kind.standalone(server.url);
      const admin = server.admin();
      const keyPrefix = `test:${randomUUID()}:`;
      const wide = { limit: 100, windowMs: 30_000 };
      try {
        const limiter = new RateLimiter({ redis: connection.client, keyPrefix, failureMode: 'throw' });
        expect((await limiter.consume('k', wide)).remaining).toBe(99);
        await admin.script('FLUSH');
        const burst = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('k', wide)));
        expect(burst.every((d) => d.allowed)).toBe(true);
        expect((await limiter.peek('k', wide)).remaining).toBe(79);

        await server.stop();
        const fast = new RateLimiter({
          redis: connection.client,
          keyPrefix,
          failureMode: 'throw',
          timeoutMs: TIMEOUT,
        });
        const started = performance.now();
        const down = await Promise.allSettled(Array.from({ length: 10 }, () => fast.consume('k', wide)));
        expect(performance.now() - started).toBeLessThan(TIMEOUT + SLACK);
        for (const result of down) {
          expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
        }
        await server.start(); // empty: no data, no scripts; any count now comes from a replay
        await until(connection.ready);
        expect((await limiter.peek('k', wide)).remaining).toBe(100);
        expect((await limiter.consume('k', wide)).remaining).toBe(99);
      } finally {
        await connection.close();
        admin.disconnect();
      }
    });
  });
});
