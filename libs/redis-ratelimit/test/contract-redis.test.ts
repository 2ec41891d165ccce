import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { FULL_CLIENTS } from './support/clients.js';
import { describeContract } from './support/contract.js';
import { assertKeysHealthy, connectRedis } from './support/services.js';

for (const kind of FULL_CLIENTS) {
  describeContract(`standalone Redis, ${kind.name}`, async () => {
    const { client: redis, close } = await kind.standalone();
    const admin = connectRedis(); // reads keys and TTLs, whatever the client under test
    return {
      make: (keyPrefix) => ({
        limiter: new RateLimiter({ redis, keyPrefix, failureMode: 'throw' }),
        lockout: new Lockout({ redis, keyPrefix, failureMode: 'throw' }),
      }),
      check: async (prefix) => void (await assertKeysHealthy(admin, prefix)),
      close: async () => {
        await close();
        admin.disconnect();
      },
    };
  });
}
