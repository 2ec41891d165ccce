// The valkey-glide adapter (`@tses/redis-ratelimit/valkey-glide`): the behaviour contract on a
// standalone server and on the Cluster, a lost script cache and a restart, an outage, and the
// glide behaviour the adapter relies on (error texts, `isClosed`, per-batch timeouts).
import { randomUUID } from 'node:crypto';
import { GlideClient, GlideClusterClient, Logger } from '@valkey/valkey-glide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError, RateLimiter, RateLimitStoreError } from '@tses/redis-ratelimit';
import { glideScriptClient } from '@tses/redis-ratelimit/valkey-glide';
import { PrivateRedis } from '../../../../scripts/test-support/private-redis.mjs';
import { describeContract, redisHarness } from '../support/contract.js';
import { sharedClusterNodes } from '../support/clients.js';
import {
  clusterNodes,
  connectCluster,
  connectRedis,
  redisUrl,
  sleep,
  whenReady,
} from '../support/services.js';

Logger.setLoggerConfig('off'); // glide logs every error reply (NOSCRIPT included) by default

const TIMEOUT = 300;
const SLACK = 400;
const { hostname, port } = new URL(redisUrl);
const standalone = (p = Number(port || 6379)) =>
  GlideClient.createClient({ addresses: [{ host: hostname, port: p }], requestTimeout: 500 });

describeContract('standalone Redis, valkey-glide', async () => {
  const glide = await standalone();
  return redisHarness(glideScriptClient(glide), connectRedis(), () => glide.close());
});

describe.skipIf(!clusterNodes)('Redis Cluster', () => {
  describeContract('Redis Cluster (3 primaries), valkey-glide', async () => {
    const glide = await GlideClusterClient.createClient({
      addresses: sharedClusterNodes(),
      requestTimeout: 500,
    });
    return redisHarness(glideScriptClient(glide), connectCluster(), () => glide.close());
  });
});

describe('valkey-glide on a private redis-server', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => server?.stop());

  it('SCRIPT FLUSH and a restart are invisible; an outage gives the typed error in time, replays nothing', async () => {
    const glide = await standalone(server.port);
    const admin = server.admin();
    const keyPrefix = `test:${randomUUID()}:`;
    const rule = { limit: 100, windowMs: 30_000 };
    try {
      const redis = glideScriptClient(glide);
      const limiter = new RateLimiter({ redis, keyPrefix, failureMode: 'throw' });
      expect((await limiter.consume('k', rule)).remaining).toBe(99);
      await admin.script('FLUSH');
      const burst = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('k', rule)));
      expect(burst.every((d) => d.allowed)).toBe(true);
      expect((await limiter.peek('k', rule)).remaining).toBe(79);

      await server.stop();
      const fast = new RateLimiter({ redis, keyPrefix, failureMode: 'throw', timeoutMs: TIMEOUT });
      const started = performance.now();
      const down = await Promise.allSettled(Array.from({ length: 10 }, () => fast.consume('k', rule)));
      expect(performance.now() - started).toBeLessThan(TIMEOUT + SLACK);
      for (const result of down)
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
      await server.start(); // empty: any count now comes from a replay
      const slow = new RateLimiter({ redis, keyPrefix, failureMode: 'throw', timeoutMs: 5000 });
      let peek = await slow.peek('k', rule).catch(() => undefined);
      for (let i = 0; i < 50 && peek === undefined; i++)
        peek = await slow.peek('k', rule).catch(() => undefined);
      expect(peek?.remaining).toBe(100);
      expect((await slow.consume('k', rule)).remaining).toBe(99);
    } finally {
      glide.close();
      admin.disconnect();
    }
  });
  it('a call lost with its connection after it was written is not sent again', async () => {
    const glide = await standalone(server.port);
    const admin = server.admin();
    const keyPrefix = `test:${randomUUID()}:`;
    const rule = { limit: 5, windowMs: 60_000 };
    try {
      const limiter = new RateLimiter({
        redis: glideScriptClient(glide),
        keyPrefix,
        failureMode: 'throw',
        timeoutMs: 2000,
      });
      await limiter.peek('stalled', rule);
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE'); // scripts that write now wait
      const call = limiter.consume('stalled', rule).catch((error: unknown) => error);
      await sleep(100); // written, waiting in the paused server
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      expect(await call).toBeInstanceOf(RateLimitError);
      await admin.call('CLIENT', 'UNPAUSE');
      await sleep(300);
      expect((await limiter.peek('stalled', rule)).remaining).toBe(5);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      glide.close();
      admin.disconnect();
    }
  });
});

describe('valkey-glide behaviour the adapter relies on', () => {
  it('error replies keep their Redis form; a closed client says so at once', async () => {
    const glide = await standalone();
    const admin = connectRedis();
    const key = `test:${randomUUID()}`;
    await whenReady(admin);
    try {
      await admin.hset(key, 'f', '1');
      await admin.pexpire(key, 10_000);
      const limiter = new RateLimiter({
        redis: glideScriptClient(glide),
        keyPrefix: '',
        failureMode: 'throw',
      });
      const error = await limiter.consume(key, { limit: 1, windowMs: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitStoreError);
      expect((error as Error).message).toMatch(/WRONGTYPE/);
      expect((glide as unknown as { isClosed: boolean }).isClosed).toBe(false);
      glide.close();
      expect((glide as unknown as { isClosed: boolean }).isClosed).toBe(true);
      const started = performance.now();
      await expect(limiter.consume('k', { limit: 1, windowMs: 1000 })).rejects.toBeInstanceOf(RateLimitError);
      expect(performance.now() - started).toBeLessThan(100);
    } finally {
      await admin.del(key).catch(() => undefined);
      admin.disconnect();
    }
  });
});
