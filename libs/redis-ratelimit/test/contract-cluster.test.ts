import { describe } from 'vitest';
import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { FULL_CLIENTS } from './support/clients.js';
import { describeContract } from './support/contract.js';
import { assertKeysHealthy, clusterNodes, connectCluster } from './support/services.js';

// Keys like `email:…` and `ip:…` land in different slots here, so consumeAll takes the
// compensating path; `{hash tag}` keys take the single script.
describe.skipIf(!clusterNodes)('Redis Cluster', () => {
  for (const kind of FULL_CLIENTS) {
    describeContract(`Redis Cluster (3 primaries), ${kind.name}`, async () => {
      const { client: cluster, close } = await kind.cluster();
      const admin = connectCluster(); // reads keys and TTLs on every primary
      return {
        make: (keyPrefix) => ({
          limiter: new RateLimiter({ redis: cluster, keyPrefix, failureMode: 'throw' }),
          lockout: new Lockout({ redis: cluster, keyPrefix, failureMode: 'throw' }),
        }),
        check: async (prefix) => void (await assertKeysHealthy(admin, prefix)),
        close: async () => {
          await close();
          admin.disconnect();
        },
      };
    });
  }
});
