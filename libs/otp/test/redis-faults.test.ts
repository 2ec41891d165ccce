// Redis faults the store must ride out or report, through each supported client: a flushed
// script cache and a restarted server (on a private redis-server: never SCRIPT FLUSH the shared
// one), a client still connecting, an unreachable server.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rateLimitRedisOptions, RateLimiter, type RedisClient } from '@tses/redis-ratelimit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Otp, OtpConfigError, OtpStoreError, RedisOtpStore } from '../src/index.js';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { expectEveryKeyToExpire, keysUnder, SECRET, whenReady } from './helpers/backends.js';

const { redisUrl } = testServiceUrls();
const verifySha = createHash('sha1')
  .update(readFileSync(new URL('../src/commands/verifyOtp-4.lua', import.meta.url), 'utf8'))
  .digest('hex');

/** A client of each family, as an app creates it; `connect: false` leaves it unconnected. */
const clients = [
  {
    name: 'ioredis',
    create(url: string, options: { connect: boolean; port?: number }) {
      const client =
        options.port === undefined
          ? new Redis(url, {
              ...rateLimitRedisOptions,
              lazyConnect: !options.connect,
              retryStrategy: () => 50,
            })
          : new Redis({
              port: options.port,
              ...rateLimitRedisOptions,
              lazyConnect: true,
              retryStrategy: () => null,
            });
      client.on('error', () => undefined);
      return {
        client: client as RedisClient,
        connect: () => client.connect(),
        close: () => client.disconnect(),
      };
    },
  },
  {
    name: 'node-redis',
    create(url: string, options: { connect: boolean; port?: number }) {
      const client =
        options.port === undefined
          ? createClient({ url, socket: { reconnectStrategy: () => 50 } })
          : createClient({ socket: { port: options.port, reconnectStrategy: false } });
      client.on('error', () => undefined);
      if (options.connect) void client.connect().catch(() => undefined);
      return {
        client: client as unknown as RedisClient,
        connect: () => client.connect(),
        close: () => (client.isOpen ? client.destroy() : undefined),
      };
    },
  },
] as const;

describe.each(clients)('Redis faults ($name)', (kind) => {
  let server: PrivateRedis;
  let admin: Redis;
  const prefix = `otp-test:${randomUUID()}:`;
  beforeAll(async () => {
    server = await PrivateRedis.start();
    admin = server.admin();
    await whenReady(admin);
  });
  afterAll(async () => {
    await expectEveryKeyToExpire(admin, prefix);
    for (const key of await keysUnder(admin, prefix)) await admin.del(key);
    admin.disconnect();
    await server.stop();
  });

  it('recovers from a flushed script cache and a restarted server without surfacing an error', async () => {
    const { client, close } = kind.create(server.url, { connect: true });
    try {
      const otp = new Otp({
        serverSecret: SECRET,
        store: new RedisOtpStore(client),
        limiter: new RateLimiter({ redis: client, keyPrefix: '', failureMode: 'throw', timeoutMs: 2000 }),
        keyPrefix: prefix,
      });
      const issued = await otp.request({ email: 'flush@example.com', ip: '192.0.2.1' });
      if (issued.status !== 'issued') throw new Error('expected issued');
      expect(await otp.verify({ email: 'flush@example.com', otp: '000000x' })).toMatchObject({
        status: 'invalid',
      });
      expect(await admin.script('EXISTS', verifySha)).toEqual([1]);
      await admin.script('FLUSH');
      expect(await admin.script('EXISTS', verifySha)).toEqual([0]);
      expect(await otp.verify({ email: 'flush@example.com', otp: issued.code })).toMatchObject({
        status: 'verified',
      });

      await server.stop();
      await server.start(); // empty: no data, no scripts
      const again = await otp.request({ email: 'restart@example.com', ip: '192.0.2.1' });
      if (again.status !== 'issued') throw new Error('expected issued');
      expect(await otp.verify({ email: 'restart@example.com', otp: again.code })).toMatchObject({
        status: 'verified',
      });
    } finally {
      await close();
    }
  });

  it('waits for a client that is still connecting instead of failing', async () => {
    // ioredis: lazyConnect, without the offline queue; node-redis: connect() just called. Either
    // way the call waits for the connection and is sent once (it was never written before).
    const { client, close } = kind.create(redisUrl, { connect: kind.name === 'node-redis' });
    try {
      const otp = new Otp({
        serverSecret: SECRET,
        store: new RedisOtpStore(client),
        limiter: new RateLimiter({ redis: client, keyPrefix: '', failureMode: 'throw' }),
        keyPrefix: prefix,
      });
      const wrong = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          otp.verify({ email: `connecting${i}@example.com`, otp: '123456' }),
        ),
      );
      expect(wrong.map((r) => (r.status === 'invalid' ? r.attemptsRemaining : -1))).toEqual([4, 4, 4, 4, 4]);
    } finally {
      await close();
      const shared = new Redis(redisUrl, { ...rateLimitRedisOptions });
      await whenReady(shared);
      await expectEveryKeyToExpire(shared, prefix);
      for (const key of await keysUnder(shared, prefix)) await shared.del(key);
      shared.disconnect();
    }
  });

  it('refuses a timeout that is not a positive integer', () => {
    const { client, close } = kind.create(redisUrl, { connect: false });
    expect(() => new RedisOtpStore(client, { timeoutMs: 0 })).toThrow(OtpConfigError);
    expect(() => new RedisOtpStore(client, { timeoutMs: 1.5 })).toThrow(OtpConfigError);
    void close();
  });

  it('throws OtpStoreError with the cause when Redis is unreachable', async () => {
    const { client, close } = kind.create(redisUrl, { connect: false, port: 1 });
    const limiter = new RateLimiter({ redis: client, failureMode: 'throw', timeoutMs: 200 });
    const otp = new Otp({
      serverSecret: SECRET,
      store: new RedisOtpStore(client, { timeoutMs: 200 }),
      limiter,
      keyPrefix: prefix,
    });
    const started = performance.now();
    const verify = otp.verify({ email: 'down@example.com', otp: '123456' });
    await expect(verify).rejects.toBeInstanceOf(OtpStoreError);
    await expect(verify).rejects.toMatchObject({ code: 'ERR_OTP_STORE', cause: expect.any(Error) });
    await expect(otp.request({ email: 'down@example.com', ip: '192.0.2.1' })).rejects.toBeInstanceOf(
      OtpStoreError,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    await close();
  });
});

describe('unsupported clients', () => {
  it('refuses an object that is not a Redis client, naming what it got', () => {
    expect(() => new RedisOtpStore({} as RedisClient)).toThrow(OtpConfigError);
    expect(() => new RedisOtpStore({} as RedisClient)).toThrow(/ioredis.*node-redis/);
  });
});
