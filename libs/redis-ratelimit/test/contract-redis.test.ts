import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { describeContract } from './support/contract.js';
import { assertKeysHealthy, connectRedis } from './support/services.js';

describeContract('standalone Redis', () => {
  const redis = connectRedis();
  return {
    make: (keyPrefix) => ({
      limiter: new RateLimiter({ redis, keyPrefix, failureMode: 'throw' }),
      lockout: new Lockout({ redis, keyPrefix, failureMode: 'throw' }),
    }),
    check: async (prefix) => void (await assertKeysHealthy(redis, prefix)),
    close: async () => void redis.disconnect(),
  };
});
