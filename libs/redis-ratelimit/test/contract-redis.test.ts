import { Lockout, RateLimiter, type RateLimiterOptions } from '@tses/redis-ratelimit';
import { IOREDIS_6, NODE_REDIS_6, type ClientKind } from './support/clients.js';
import { describeContract } from './support/contract.js';
import { assertKeysHealthy, connectRedis } from './support/services.js';

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
    const admin = connectRedis(); // reads keys and TTLs, whatever the client under test
    return {
      make: (keyPrefix) => ({
        limiter: new RateLimiter({ redis, keyPrefix, failureMode: 'throw', ...options }),
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
