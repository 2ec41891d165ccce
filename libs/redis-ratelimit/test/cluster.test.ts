// Cluster specifics beyond the shared contract: no CROSSSLOT ever reaches the caller, hash-tagged
// keys share one slot (one script), and cross-slot rules use the compensating path correctly.
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiter, rateLimitClusterOptions } from '@tses/redis-ratelimit';
import { sharedClusterNodes } from './support/clients.js';
import { assertKeysHealthy, clusterNodes, connectCluster, whenReady } from './support/services.js';

// CRC16-XMODEM mod 16384 of a key without a hash tag (the cluster spec's reference), to find
// keys whose slots depend on a client prefix.
function slotOf(key: string): number {
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

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

  it("the client's keyPrefix decides slots: keys that share one only without it never meet CROSSSLOT", async () => {
    // Two keys in one slot under the limiter's prefix, in two once the client adds its own.
    const clientPrefix = 'app:';
    const bySlot = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const key = `k${i}`;
      const seen = bySlot.get(slotOf(prefix + key));
      if (
        seen !== undefined &&
        slotOf(clientPrefix + prefix + seen) !== slotOf(clientPrefix + prefix + key)
      ) {
        pair = [seen, key];
      }
      bySlot.set(slotOf(prefix + key), key);
    }
    const node = cluster.nodes('master')[0]!;
    const slot = async (key: string) => Number(await node.call('CLUSTER', 'KEYSLOT', key));
    expect(await slot(prefix + pair[0])).toBe(await slot(prefix + pair[1]));
    expect(await slot(clientPrefix + prefix + pair[0])).not.toBe(await slot(clientPrefix + prefix + pair[1]));

    const prefixed = new Cluster(sharedClusterNodes(), {
      ...rateLimitClusterOptions,
      keyPrefix: clientPrefix,
    });
    prefixed.on('error', () => undefined);
    try {
      await whenReady(prefixed);
      const limiter = new RateLimiter({ redis: prefixed, keyPrefix: prefix, failureMode: 'throw' });
      const rule = { limit: 2, windowMs: 10_000 };
      const items = pair.map((key) => ({ key, rule }));
      expect((await limiter.consumeAll(items)).allowed).toBe(true);
      expect((await limiter.consumeAll(items)).allowed).toBe(true);
      expect((await limiter.consumeAll(items)).allowed).toBe(false);
      // Coalesced consumes of one tick are grouped by the slots the server sees, too (3 more each).
      const other = { limit: 5, windowMs: 10_000 };
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => limiter.consume(pair[i % 2]!, other)),
      );
      expect(burst.filter((d) => d.allowed)).toHaveLength(6);
      await assertKeysHealthy(cluster, clientPrefix + prefix);
      for (const key of pair) await limiter.reset(key);
    } finally {
      prefixed.disconnect();
    }
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
