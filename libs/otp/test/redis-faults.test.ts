import { randomUUID } from 'node:crypto';
import { rateLimitRedisOptions, RateLimiter } from '@tses/redis-ratelimit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Otp, OtpStoreError, RedisOtpStore } from '../src/index.js';
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
