import { MemoryStore } from '@tses/redis-ratelimit';
import { describeHttpContract } from './contract.js';
import { FRAMEWORKS } from './frameworks.js';

describeHttpContract(
  'memory store',
  async () => ({ options: { store: new MemoryStore() }, close: async () => undefined }),
  FRAMEWORKS,
);
