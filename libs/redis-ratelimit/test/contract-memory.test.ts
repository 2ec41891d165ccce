import { Lockout, MemoryStore, RateLimiter } from '@tses/redis-ratelimit';
import { describeContract } from './support/contract.js';

describeContract('memory store', () => {
  const store = new MemoryStore();
  return {
    make: (keyPrefix) => ({
      limiter: new RateLimiter({ store, keyPrefix, failureMode: 'throw' }),
      lockout: new Lockout({ store, keyPrefix, failureMode: 'throw' }),
    }),
    check: async () => undefined,
    close: async () => undefined,
  };
});
