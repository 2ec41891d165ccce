import { randomUUID } from 'node:crypto';
import { rateLimitRedisOptions, RateLimiter } from '@tses/redis-ratelimit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Otp, OtpConfigError, OtpStoreError, RedisOtpStore } from '../src/index.js';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { expectEveryKeyToExpire, keysUnder, SECRET, whenReady } from './helpers/backends.js';

const { redisUrl } = testServiceUrls();

describe('Redis faults', () => {
  let redis: Redis;
  const prefix = `otp-test:${randomUUID()}:`;
  beforeAll(async () => {
    redis = new Redis(redisUrl, { ...rateLimitRedisOptions });
    await whenReady(redis);
  });
  afterAll(async () => {
    await expectEveryKeyToExpire(redis, prefix);
    for (const key of await keysUnder(redis, prefix)) await redis.del(key);
    await redis.quit();
  });

  it('recovers from a flushed script cache without surfacing an error', async () => {
    const limiter = new RateLimiter({ redis, keyPrefix: '', failureMode: 'throw' });
    const otp = new Otp({
      serverSecret: SECRET,
      store: new RedisOtpStore(redis),
      limiter,
      keyPrefix: prefix,
    });
    const issued = await otp.request({ email: 'flush@example.com', ip: '192.0.2.1' });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect(await otp.verify({ email: 'flush@example.com', otp: '000000x' })).toMatchObject({
      status: 'invalid',
    });
    expect(typeof (redis as unknown as Record<string, unknown>)['verifyOtp:0.1.0']).toBe('function');
    await redis.script('FLUSH');
    expect(await otp.verify({ email: 'flush@example.com', otp: issued.code })).toMatchObject({
      status: 'verified',
    });
  });

  it('waits for a client that is still connecting instead of failing', async () => {
    // No offline queue: ioredis refuses a command while connecting, and the store sends it once
    // the connection is up (it was never written, so it cannot count twice).
    const connecting = new Redis(redisUrl, { ...rateLimitRedisOptions, lazyConnect: true });
    try {
      const otp = new Otp({
        serverSecret: SECRET,
        store: new RedisOtpStore(connecting),
        limiter: new RateLimiter({ redis: connecting, keyPrefix: '', failureMode: 'throw' }),
        keyPrefix: prefix,
      });
      expect(connecting.status).toBe('wait');
      const wrong = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          otp.verify({ email: `connecting${i}@example.com`, otp: '123456' }),
        ),
      );
      expect(wrong.map((r) => (r.status === 'invalid' ? r.attemptsRemaining : -1))).toEqual([4, 4, 4, 4, 4]);
    } finally {
      connecting.disconnect();
    }
  });

  it('refuses a timeout that is not a positive integer', () => {
    expect(() => new RedisOtpStore(redis, { timeoutMs: 0 })).toThrow(OtpConfigError);
    expect(() => new RedisOtpStore(redis, { timeoutMs: 1.5 })).toThrow(OtpConfigError);
  });

  it('throws OtpStoreError with the cause when Redis is unreachable', async () => {
    const down = new Redis({
      port: 1,
      ...rateLimitRedisOptions,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const limiter = new RateLimiter({ redis: down, failureMode: 'throw', timeoutMs: 200 });
    const otp = new Otp({ serverSecret: SECRET, store: new RedisOtpStore(down), limiter, keyPrefix: prefix });
    const started = performance.now();
    const verify = otp.verify({ email: 'down@example.com', otp: '123456' });
    await expect(verify).rejects.toBeInstanceOf(OtpStoreError);
    await expect(verify).rejects.toMatchObject({ code: 'ERR_OTP_STORE', cause: expect.any(Error) });
    await expect(otp.request({ email: 'down@example.com', ip: '192.0.2.1' })).rejects.toBeInstanceOf(
      OtpStoreError,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    down.disconnect();
  });
});
