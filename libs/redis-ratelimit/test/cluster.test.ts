// Cluster specifics beyond the shared contract: no CROSSSLOT ever reaches the caller, hash-tagged
// keys share one slot (one script), and cross-slot rules use the compensating path correctly.
import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '@tses/redis-ratelimit';
import { assertKeysHealthy, clusterNodes, connectCluster, whenReady } from './support/services.js';

describe.skipIf(!clusterNodes)('Redis Cluster specifics', () => {
  let cluster: Cluster;
  let prefix: string;
  let limiter: RateLimiter;

  beforeAll(async () => {
    cluster = connectCluster();
    await whenReady(cluster);
  });
  afterAll(() => cluster?.disconnect());
  beforeEach(() => {
    prefix = `test:${randomUUID()}:`;
    limiter = new RateLimiter({ redis: cluster, keyPrefix: prefix, failureMode: 'throw' });
  });
  afterEach(async () => {
    await assertKeysHealthy(cluster, prefix);
  });

  it('hash-tagged keys of one call share a slot; other keys spread over the primaries', async () => {
    const node = cluster.nodes('master')[0]!;
    const slot = async (key: string) => Number(await node.call('CLUSTER', 'KEYSLOT', prefix + key));
    expect(await slot('{user:1}:email')).toBe(await slot('{user:1}:ip'));
    const slots = await Promise.all(['email:a', 'ip:b', 'device:c', 'x', 'y', 'z'].map(slot));
    expect(new Set(slots).size).toBeGreaterThan(1);
    expect(cluster.nodes('master')).toHaveLength(3);
  });

  it('consumeAll over rules on three different slots: no CROSSSLOT, exact all-or-nothing', async () => {
    const rule = { limit: 2, windowMs: 10_000 };
    const items = ['email:a@example.com', 'ip:203.0.113.9', 'device:42'].map((key) => ({ key, rule }));
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.consumeAll(items)));
    expect(results.filter((r) => r.allowed)).toHaveLength(2);
    for (const { key } of items) expect((await limiter.peek(key, rule)).remaining).toBe(0);
  });

  it('compensating path: mixed single and combined traffic never over-consumes either rule', async () => {
    const email = { limit: 5, windowMs: 10_000 };
    const ip = { limit: 8, windowMs: 10_000 };
    const both = [
      { key: 'email:z@example.com', rule: email },
      { key: 'ip:198.51.100.20', rule: ip },
    ];
    const calls = Array.from({ length: 150 }, (_, i) =>
      i % 3 === 0
        ? limiter.consume('ip:198.51.100.20', ip).then((d) => ({ single: d.allowed, all: false }))
        : limiter.consumeAll(both).then((d) => ({ single: false, all: d.allowed })),
    );
    const outcomes = await Promise.all(calls);
    const all = outcomes.filter((o) => o.all).length;
    const single = outcomes.filter((o) => o.single).length;
    const wide = { limit: 1000, windowMs: 10_000 };
    const emailCount = 1000 - (await limiter.peek(both[0]!.key, wide)).remaining;
    const ipCount = 1000 - (await limiter.peek(both[1]!.key, wide)).remaining;
    expect(emailCount).toBe(all);
    expect(emailCount).toBeLessThanOrEqual(5);
    expect(ipCount).toBe(all + single);
    expect(ipCount).toBeLessThanOrEqual(8);
  });
});
