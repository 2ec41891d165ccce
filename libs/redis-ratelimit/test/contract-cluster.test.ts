import { describe } from 'vitest';
import type { RateLimiterOptions } from '@tses/redis-ratelimit';
import { IOREDIS_6, NODE_REDIS_6, type ClientKind } from './support/clients.js';
import { describeContract, redisHarness } from './support/contract.js';
import { clusterNodes, connectCluster } from './support/services.js';

// Keys like `email:…` and `ip:…` land in different slots here, so consumeAll takes the
// compensating path; `{hash tag}` keys take the single script. The defaults (consume coalesced by
// slot) on both fully tested clients, and the shield with coalesced consumeAll on one.
const runs: [ClientKind, Pick<RateLimiterOptions, 'shield' | 'coalesce'>][] = [
  [IOREDIS_6, {}],
  [NODE_REDIS_6, {}],
  [NODE_REDIS_6, { shield: true, coalesce: 'all' }],
];

describe.skipIf(!clusterNodes)('Redis Cluster', () => {
  for (const [kind, options] of runs) {
    const named = Object.entries(options).map(([name, value]) => `, ${name}: ${String(value)}`);
    describeContract(`Redis Cluster (3 primaries), ${kind.name}${named.join('')}`, async () => {
      const { client: cluster, close } = await kind.cluster();
      return redisHarness(cluster, connectCluster(), close, options);
    });
  }
});
