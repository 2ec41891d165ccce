import type { RateLimiterOptions } from '@tses/redis-ratelimit';
import { IOREDIS_6, NODE_REDIS_6, type ClientKind } from './support/clients.js';
import { describeContract, redisHarness } from './support/contract.js';
import { connectRedis } from './support/services.js';

// The defaults (coalesced consume) on both fully tested clients; the shield with coalesced
// consumeAll too on one, and the one script per call that `coalesce: false` sends on the other.
const runs: [ClientKind, Pick<RateLimiterOptions, 'shield' | 'coalesce'>][] = [
  [IOREDIS_6, {}],
  [NODE_REDIS_6, {}],
  [IOREDIS_6, { shield: true, coalesce: 'all' }],
  [NODE_REDIS_6, { coalesce: false }],
];

for (const [kind, options] of runs) {
  const named = Object.entries(options).map(([name, value]) => `, ${name}: ${String(value)}`);
  describeContract(`standalone Redis, ${kind.name}${named.join('')}`, async () => {
    const { client: redis, close } = await kind.standalone();
    return redisHarness(redis, connectRedis(), close, options);
  });
}
