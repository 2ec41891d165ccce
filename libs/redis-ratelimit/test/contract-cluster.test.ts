import { describe } from 'vitest';
import { FULL_CLIENTS } from './support/clients.js';
import { describeContract, redisHarness } from './support/contract.js';
import { clusterNodes, connectCluster } from './support/services.js';

// Keys like `email:…` and `ip:…` land in different slots here, so consumeAll takes the
// compensating path; `{hash tag}` keys take the single script.
describe.skipIf(!clusterNodes)('Redis Cluster', () => {
  for (const kind of FULL_CLIENTS) {
    describeContract(`Redis Cluster (3 primaries), ${kind.name}`, async () => {
      const { client: cluster, close } = await kind.cluster();
      return redisHarness(cluster, connectCluster(), close);
    });
  }
});
