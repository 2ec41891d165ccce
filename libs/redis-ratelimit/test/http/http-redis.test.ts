import { randomUUID } from 'node:crypto';
import { connectRedis } from '../support/services.js';
import { describeHttpContract } from './contract.js';
import { FRAMEWORKS } from './frameworks.js';

describeHttpContract(
  'standalone Redis',
  async () => {
    const redis = connectRedis();
    return { options: { redis, keyPrefix: `test:${randomUUID()}:` }, close: async () => redis.disconnect() };
  },
  FRAMEWORKS,
);
