// Losing the script cache (SCRIPT FLUSH, a restart) must be invisible to callers: ioredis's
// defineCommand answers NOSCRIPT by sending the script again. Runs on a private server only.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/private-redis.mjs';
import { assertKeysHealthy, connectRedis, whenReady } from './support/services.js';

describe('script cache loss (private redis-server)', () => {
  let server: PrivateRedis;
  let admin: Redis;
  let redis: Redis;
  let limiter: RateLimiter;
  let lockout: Lockout;
  const rule = { limit: 100, windowMs: 30_000 };
  const prefix = `test:${randomUUID()}:`;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    admin = server.admin();
    redis = connectRedis(server.url);
    limiter = new RateLimiter({ redis, keyPrefix: prefix, failureMode: 'throw', timeoutMs: 2000 });
    lockout = new Lockout({ redis, keyPrefix: prefix, failureMode: 'throw', timeoutMs: 2000 });
  });
  afterAll(async () => {
    redis?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  it('SCRIPT FLUSH between calls: no error, every hit counted once', async () => {
    expect((await limiter.consume('k', rule)).remaining).toBe(99);
    await admin.script('FLUSH');
    expect(await admin.script('EXISTS', '0000000000000000000000000000000000000000')).toEqual([0]);
    const burst = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('k', rule)));
    expect(burst.every((d) => d.allowed)).toBe(true);
    expect((await limiter.peek('k', rule)).remaining).toBe(49);
    await admin.script('FLUSH');
    expect((await lockout.fail('s', { maxFailures: 3, windowMs: 30_000 })).failures).toBe(1);
    await admin.script('FLUSH');
    const all = await limiter.consumeAll([
      { key: 'a', rule },
      { key: 'b', rule },
    ]);
    expect(all.allowed).toBe(true);
    await assertKeysHealthy(redis, prefix);
  });

  it('a Redis restart (cache and data gone): calls after the reconnect just work', async () => {
    await limiter.consume('r', rule);
    await server.stop();
    await server.start();
    await whenReady(redis);
    const d = await limiter.consume('r', rule);
    expect(d).toMatchObject({ allowed: true, remaining: 99 }); // fresh server: a new window
    expect((await limiter.peek('r', rule)).remaining).toBe(99);
    await assertKeysHealthy(redis, prefix);
  });
});
