// A Cluster client is `ready` with one node connected; ioredis connects the others on their first
// command and, with the offline queue off (`rateLimitClusterOptions`), refuses every further
// command for a node while it connects ("Connection is closed."). Those commands were never
// written: the limiter waits for the node and sends them, so a burst right after `ready` (or
// after ioredis opens a new node connection) sees no error and counts every hit exactly once.
import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lockout, RateLimiter, type RateLimitError } from '@tses/redis-ratelimit';
import { assertKeysHealthy, clusterNodes, connectCluster } from './support/services.js';

const whenReadyEvent = (cluster: Cluster) => new Promise<void>((resolve) => cluster.once('ready', resolve));

describe.skipIf(!clusterNodes)('Redis Cluster: a burst while node connections open', () => {
  let cluster: Cluster;
  let prefix: string;
  let errors: RateLimitError[];
  const opened: Cluster[] = [];
  const fresh = () => {
    const client = connectCluster();
    opened.push(client);
    return client;
  };
  const limiterOn = (client: Cluster) =>
    new RateLimiter({
      redis: client,
      keyPrefix: prefix,
      failureMode: 'throw',
      onError: (e) => errors.push(e),
    });

  beforeEach(() => {
    prefix = `test:${randomUUID()}:`;
    errors = [];
    cluster = fresh();
  });
  afterEach(async () => {
    await assertKeysHealthy(cluster, prefix);
    for (const client of opened.splice(0)) client.disconnect();
  });

  it('60 concurrent consume right after ready: no error, every key counted exactly once', async () => {
    const limiter = limiterOn(cluster);
    await whenReadyEvent(cluster);
    // The burst must meet nodes that are not connected yet, or this test proves nothing.
    expect(cluster.nodes('master').filter((node) => node.status !== 'ready').length).toBeGreaterThan(0);
    const rule = { limit: 5, windowMs: 10_000 };
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.consume(`k${i}`, rule)));
    expect(errors).toEqual([]);
    expect(decisions.map((d) => d.remaining)).toEqual(Array(60).fill(4));
    const peeked = await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.peek(`k${i}`, rule)));
    expect(peeked.map((d) => d.remaining)).toEqual(Array(60).fill(4));
    // The keys were spread over every primary.
    for (const node of cluster.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
      expect(keys.length, `keys on ${node.options.port}`).toBeGreaterThan(0);
    }
  });

  it('30 concurrent cross-slot consumeAll right after ready: no error, never over-consumed', async () => {
    const limiter = limiterOn(cluster);
    await whenReadyEvent(cluster);
    expect(cluster.nodes('master').filter((node) => node.status !== 'ready').length).toBeGreaterThan(0);
    const rule = { limit: 20, windowMs: 10_000 };
    // Hash tags on slots 15495, 3300 and 7365: one key on each primary of a 3-primary cluster.
    const items = ['{a}:email', '{b}:ip', '{c}:device'].map((key) => ({ key, rule }));
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.consumeAll(items)));
    expect(errors).toEqual([]);
    const allowed = results.filter((r) => r.allowed).length;
    // Races on the compensating path may deny a call early, never admit one too many.
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(20);
    for (const { key } of items) {
      expect(20 - (await limiter.peek(key, rule)).remaining, key).toBe(allowed);
    }
  });

  it('a lockout burst right after ready: no error, one failure per subject', async () => {
    const lockout = new Lockout({
      redis: cluster,
      keyPrefix: prefix,
      failureMode: 'throw',
      onError: (e) => errors.push(e),
    });
    await whenReadyEvent(cluster);
    const policy = { maxFailures: 3, windowMs: 10_000 };
    const states = await Promise.all(Array.from({ length: 30 }, (_, i) => lockout.fail(`s${i}`, policy)));
    expect(errors).toEqual([]);
    expect(states.map((s) => s.failures)).toEqual(Array(30).fill(1));
  });

  it('a node connection ioredis opens again later (after a MOVED): no error either', async () => {
    const limiter = limiterOn(cluster);
    await whenReadyEvent(cluster);
    const rule = { limit: 5, windowMs: 10_000 };
    await Promise.all(Array.from({ length: 30 }, (_, i) => limiter.consume(`warm${i}`, rule)));
    for (let round = 0; round < 3; round++) {
      // Drop one primary's connection: its slots now reach another node, answer MOVED, and
      // ioredis opens a new connection, which the redirected commands find still connecting.
      const victim = cluster.nodes('master')[round]!;
      victim.disconnect();
      await new Promise((resolve) => victim.once('end', resolve));
      const keys = Array.from({ length: 60 }, (_, i) => `r${round}:${i}`);
      const decisions = await Promise.all(keys.map((key) => limiter.consume(key, rule)));
      expect(errors).toEqual([]);
      expect(decisions.map((d) => d.remaining)).toEqual(Array(60).fill(4));
    }
  });
});
