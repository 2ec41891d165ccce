// Coalescing (the default for `consume`; `coalesce: 'all'` adds `consumeAll`): the calls of one
// tick go to Redis as one script per slot, each caller still getting its own exact decision and
// its own deadline. On a private
// redis-server (the only place a test pauses Redis, flushes its scripts or drops connections),
// for each fully tested client, and on the Cluster with keys across slots.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RateLimitError,
  RateLimiter,
  RateLimitStoreError,
  RateLimitTimeoutError,
  RateLimitUnavailableError,
} from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { FULL_CLIENTS, type TestClient } from './support/clients.js';
import { assertKeysHealthy, clusterNodes, connectCluster, sleep, until } from './support/services.js';

const TIMEOUT = 300;
// Generous slack for two shared cores; the point is "bounded by the timeout", not "instant".
const SLACK = 400;

/** EVALSHAs the server has run so far (INFO commandstats). */
async function evalshas(admin: Redis): Promise<number> {
  const stats = String(await admin.info('commandstats'));
  return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

/** Runs `call` and reports how long it took to settle and how. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await call();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe.each(FULL_CLIENTS)('coalescing (private redis-server), $name', (kind) => {
  let server: PrivateRedis;
  let admin: Redis;
  let connection: TestClient;
  const prefix = `test:${randomUUID()}:`;
  // `'all'`: consumeAll calls are coalesced too (consume calls are by default).
  const limiter = (timeoutMs = 2000) =>
    new RateLimiter({
      redis: connection.client,
      keyPrefix: prefix,
      failureMode: 'throw',
      timeoutMs,
      coalesce: 'all',
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

  it('one tick, one script per 128 calls: exact decisions per caller, for every rule and key', async () => {
    const rl = limiter();
    await rl.consume('warm', { limit: 1, windowMs: 1000 }); // scripts loaded
    await Promise.all([
      rl.consume('warm2', { limit: 5, windowMs: 1000 }),
      rl.consume('warm3', { limit: 5, windowMs: 1000 }),
    ]);
    const rules = [
      { limit: 3, windowMs: 10_000 },
      { limit: 7, windowMs: 10_000 },
      { limit: 2, windowMs: 10_000, countDenied: true },
    ];
    const before = await evalshas(admin);
    const decisions = await Promise.all(
      Array.from({ length: 300 }, (_, i) => rl.consume(`k${i % 6}`, rules[i % 3]!)),
    );
    expect(await evalshas(admin)).toBe(before + 3); // a script carries at most 128 calls
    // k0, k3: limit 3; k1, k4: limit 7; k2, k5: limit 2 counting denied hits; 50 calls each.
    for (let k = 0; k < 6; k++) {
      const mine = decisions.filter((_, i) => i % 6 === k);
      const limit = rules[k % 3]!.limit;
      expect(mine.filter((d) => d.allowed)).toHaveLength(limit);
      expect(mine.map((d) => d.remaining).slice(0, limit)).toEqual(
        Array.from({ length: limit }, (_, i) => limit - i - 1),
      );
      expect(mine.slice(limit).every((d) => !d.allowed && d.retryAfterMs === 10_000)).toBe(true);
      expect(await admin.get(`${prefix}k${k}`)).toBe(String(k % 3 === 2 ? 50 : limit));
    }
    await assertKeysHealthy(admin, prefix);
  });

  it('consumeAll: one tick, scripts of its own beside the consumes; all-or-nothing stays exact', async () => {
    const rl = limiter();
    const email = { limit: 3, windowMs: 10_000 };
    const ip = { limit: 20, windowMs: 10_000 };
    const pair = (i: number) => [
      { key: `all:email:${i % 4}`, rule: email },
      { key: 'all:ip', rule: ip },
    ];
    await Promise.all([rl.consumeAll(pair(0)), rl.consumeAll(pair(1))]); // scripts loaded
    await rl.reset('all:email:0');
    await rl.reset('all:email:1');
    await rl.reset('all:ip');
    const before = await evalshas(admin);
    const [all, single] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, (_, i) => rl.consumeAll(pair(i)))),
      Promise.all(Array.from({ length: 50 }, () => rl.consume('all:ip', ip))),
    ]);
    expect(await evalshas(admin)).toBe(before + 3); // 200 consumeAll: two scripts; 50 consume: one
    const allowedAll = all.filter((d) => d.allowed).length;
    expect(allowedAll).toBe(12); // 3 per email, and the ip rule had room for them
    expect(allowedAll + single.filter((d) => d.allowed).length).toBe(20);
    for (let e = 0; e < 4; e++) expect(await admin.get(`${prefix}all:email:${e}`)).toBe('3');
    expect(await admin.get(`${prefix}all:ip`)).toBe('20');
    for (const d of all.filter((x) => !x.allowed)) expect(d.blockedIndex).toBeDefined();
  });

  it('a key of the wrong type fails its own call only (consume and consumeAll)', async () => {
    const rl = limiter();
    await admin.hset(`${prefix}hash`, 'f', '1');
    await admin.pexpire(`${prefix}hash`, 10_000);
    const rule = { limit: 5, windowMs: 10_000 };
    const results = await Promise.allSettled([
      rl.consume('a', rule),
      rl.consume('hash', rule),
      rl.consume('b', rule),
      rl.consumeAll([
        { key: 'a', rule },
        { key: 'c', rule },
      ]),
      rl.consumeAll([
        { key: 'c', rule },
        { key: 'hash', rule },
      ]),
      rl.consumeAll([{ key: 'b', rule }]),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    for (const i of [1, 4]) {
      const error = (results[i] as PromiseRejectedResult).reason as RateLimitStoreError;
      expect(error).toBeInstanceOf(RateLimitStoreError);
      expect(error.message).toMatch(/WRONGTYPE/);
    }
    // The failed consumeAll counted nothing on its other key.
    expect(await admin.get(`${prefix}c`)).toBe('1');
    expect(await admin.get(`${prefix}b`)).toBe('2');
  });

  it('a stalled server: every caller gets its timeout at its own deadline; what was written runs once', async () => {
    const rl = limiter(TIMEOUT);
    const rule = { limit: 100, windowMs: 30_000 };
    await rl.consume('warm', rule);
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE'); // scripts that write now wait
    try {
      const first = Array.from({ length: 20 }, () => timed(() => rl.consume('stalled', rule)));
      await sleep(150);
      const second = Array.from({ length: 20 }, () => timed(() => rl.consume('stalled', rule)));
      for (const { ms, error } of await Promise.all([...first, ...second])) {
        expect(error).toBeInstanceOf(RateLimitTimeoutError);
        expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
        expect(ms).toBeLessThan(TIMEOUT + SLACK); // not held until the pause ends (1.5 s)
      }
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
    }
    // Both batches were written before their deadline: each ran once, none was sent again.
    await sleep(200);
    expect(await admin.get(`${prefix}stalled`)).toBe('40');
  });

  it('a batch lost with its connection fails within timeoutMs and is not sent again', async () => {
    const rl = limiter(1000);
    const rule = { limit: 100, windowMs: 30_000 };
    await rl.consume('warm', rule);
    await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE');
    try {
      const calls = Array.from({ length: 30 }, () => timed(() => rl.consume('lost', rule)));
      await sleep(100); // written, waiting in the paused server
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'); // dropped unexecuted
      for (const { ms, error } of await Promise.all(calls)) {
        // node-redis rejects what it had written when the connection closes; ioredis (no resend)
        // never answers it, so the deadline does.
        expect(error).toBeInstanceOf(RateLimitError);
        expect([RateLimitUnavailableError, RateLimitTimeoutError].some((E) => error instanceof E)).toBe(true);
        expect(ms).toBeLessThan(1000 + SLACK);
      }
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
    }
    await until(connection.ready);
    await sleep(300);
    expect(await admin.get(`${prefix}lost`)).toBeNull();
    expect((await rl.consume('lost', rule)).remaining).toBe(99);
  });

  it('NOSCRIPT mid-batch: the batch is loaded and sent again, every hit counted once', async () => {
    const rl = limiter();
    const rule = { limit: 45, windowMs: 30_000 };
    let allowed = 0;
    for (let tick = 0; tick < 4; tick++) {
      await admin.script('FLUSH');
      const decisions = await Promise.all(
        Array.from({ length: 60 }, (_, i) => rl.consume(`ns${i % 3}`, rule)),
      );
      allowed += decisions.filter((d) => d.allowed).length;
    }
    expect(allowed).toBe(3 * 45); // 80 calls per key, 45 admitted each
    for (let k = 0; k < 3; k++) expect(await admin.get(`${prefix}ns${k}`)).toBe('45');
  });
});

describe.skipIf(!clusterNodes)('coalescing on the Redis Cluster', () => {
  for (const kind of FULL_CLIENTS) {
    it(`${kind.name}: exact counts with keys across slots and keys sharing slots`, async () => {
      const { client, close } = await kind.cluster();
      const admin = connectCluster();
      const prefix = `test:${randomUUID()}:`;
      try {
        const limiter = new RateLimiter({
          redis: client,
          keyPrefix: prefix,
          failureMode: 'throw',
          coalesce: 'all',
        });
        const rule = { limit: 7, windowMs: 10_000 };
        // 10 keys spread over the primaries, 10 in two hash tags (each a slot with 5 keys).
        const keys = Array.from({ length: 20 }, (_, i) => (i < 10 ? `k${i}` : `{tag${i % 2}}:k${i}`));
        const decisions = await Promise.all(
          Array.from({ length: 600 }, (_, i) => limiter.consume(keys[i % keys.length]!, rule)),
        );
        for (let k = 0; k < keys.length; k++) {
          const mine = decisions.filter((_, i) => i % keys.length === k);
          expect(mine.filter((d) => d.allowed)).toHaveLength(7);
          expect((await limiter.peek(keys[k]!, rule)).remaining).toBe(0);
        }
        // consumeAll over pairs that share a hash tag: one script per slot, all-or-nothing exact.
        const pair = (i: number) => [
          { key: `{user${i % 5}}:email`, rule: { limit: 4, windowMs: 10_000 } },
          { key: `{user${i % 5}}:ip`, rule: { limit: 6, windowMs: 10_000 } },
        ];
        const all = await Promise.all(Array.from({ length: 300 }, (_, i) => limiter.consumeAll(pair(i))));
        for (let u = 0; u < 5; u++) {
          expect(all.filter((d, i) => i % 5 === u && d.allowed)).toHaveLength(4);
          expect((await limiter.peek(`{user${u}}:ip`, rule)).remaining).toBe(3);
        }
        expect(await assertKeysHealthy(admin, prefix)).toBe(keys.length + 10);
      } finally {
        await close();
        admin.disconnect();
      }
    });
  }
});
