// Losing the script cache (SCRIPT FLUSH, a restart) must be invisible to callers: the limiter
// answers NOSCRIPT by loading the script and sending the call again. Runs on a private server
// only, for each fully tested client.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { FULL_CLIENTS, type TestClient } from './support/clients.js';
import { assertKeysHealthy, until } from './support/services.js';

describe.each(FULL_CLIENTS)('script cache loss (private redis-server), $name', (kind) => {
  let server: PrivateRedis;
  let admin: Redis;
  let connection: TestClient;
  let limiter: RateLimiter;
  let lockout: Lockout;
  const rule = { limit: 100, windowMs: 30_000 };
  const prefix = `test:${randomUUID()}:`;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    admin = server.admin();
    connection = await kind.standalone(server.url);
    const redis = connection.client;
    limiter = new RateLimiter({ redis, keyPrefix: prefix, failureMode: 'throw', timeoutMs: 2000 });
    lockout = new Lockout({ redis, keyPrefix: prefix, failureMode: 'throw', timeoutMs: 2000 });
  });
  afterAll(async () => {
    await connection?.close();
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
    await assertKeysHealthy(admin, prefix);
  });

  it('a Redis restart (cache and data gone): calls after the reconnect just work', async () => {
    await limiter.consume('r', rule);
    await server.stop();
    await server.start();
    await until(connection.ready);
    const d = await limiter.consume('r', rule);
    expect(d).toMatchObject({ allowed: true, remaining: 99 }); // fresh server: a new window
    expect((await limiter.peek('r', rule)).remaining).toBe(99);
    await assertKeysHealthy(admin, prefix);
  });
});
