import { Lockout, MemoryStore, RateLimiter } from '@tses/redis-ratelimit';
import { describeContract } from './support/contract.js';

for (const shield of [false, true]) {
  describeContract(`memory store${shield ? ', shield: true' : ''}`, () => {
    const store = new MemoryStore();
    return {
      make: (keyPrefix) => ({
        limiter: new RateLimiter({ store, keyPrefix, failureMode: 'throw', shield }),
        lockout: new Lockout({ store, keyPrefix, failureMode: 'throw' }),
      }),
      check: async () => undefined,
      close: async () => undefined,
    };
  });
}
