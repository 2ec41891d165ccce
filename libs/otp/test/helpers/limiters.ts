import { MemoryStore, RateLimiter, type RedisClient } from '@tses/redis-ratelimit';
import type { OtpRequestLimiter } from '../../src/index.js';

/** The real limiter in memory. */
export function memoryLimiter(): OtpRequestLimiter {
  return new RateLimiter({ store: new MemoryStore(), keyPrefix: '', failureMode: 'throw' });
}

/** The real limiter on Redis; keys carry the test's prefix already, so the limiter adds none. */
export function redisLimiter(client: RedisClient): OtpRequestLimiter {
  return new RateLimiter({ redis: client, keyPrefix: '', failureMode: 'throw', timeoutMs: 5_000 });
}
