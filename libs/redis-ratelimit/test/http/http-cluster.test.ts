import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { clusterNodes, connectCluster, whenReady } from '../support/services.js';
import { describeHttpContract } from './contract.js';
import { FRAMEWORKS } from './frameworks.js';

// The rules of one request land in different slots here (`<rule>:<key>`), so a request takes the
// compensating path of consumeAll across slots; CI sets REDIS_CLUSTER_NODES.
describe.skipIf(!clusterNodes)(
  clusterNodes ? 'Redis Cluster' : 'Redis Cluster: skipped, REDIS_CLUSTER_NODES is not set (CI sets it)',
  () => {
    describeHttpContract(
      'Redis Cluster',
      async () => {
        const cluster = connectCluster();
        await whenReady(cluster);
        return {
          options: { redis: cluster, keyPrefix: `test:${randomUUID()}:` },
          close: async () => cluster.disconnect(),
        };
      },
      FRAMEWORKS,
    );
  },
);
