import { describe } from 'vitest';
import { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import { describeContract } from './support/contract.js';
import { assertKeysHealthy, clusterNodes, connectCluster } from './support/services.js';

// Keys like `email:…` and `ip:…` land in different slots here, so consumeAll takes the
// compensating path; `{hash tag}` keys take the single script.
describe.skipIf(!clusterNodes)('Redis Cluster', () => {
  describeContract('Redis Cluster (3 primaries)', () => {
    const cluster = connectCluster();
    return {
      make: (keyPrefix) => ({
        limiter: new RateLimiter({ redis: cluster, keyPrefix, failureMode: 'throw' }),
        lockout: new Lockout({ redis: cluster, keyPrefix, failureMode: 'throw' }),
      }),
      check: async (prefix) => void (await assertKeysHealthy(cluster, prefix)),
      close: async () => void cluster.disconnect(),
    };
  });
});
