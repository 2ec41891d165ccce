import type { RedisTarget } from '@tses/app-runtime';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';

/**
 * Where the full-mode suites put the API and the worker: the standalone test Redis by default,
 * or, with `TEST_REDIS_TOPOLOGY=cluster` (`npm run test:cluster`), the Redis Cluster of
 * `REDIS_CLUSTER_NODES`. A switch of its own rather than the mere presence of the nodes: CI
 * exports them for the whole run, and the README's `npm test` must stay on one server.
 *
 * @returns The target.
 * @throws Error when the cluster is asked for and `REDIS_CLUSTER_NODES` is not set, or when the
 *   switch holds anything else.
 */
export function testRedisTarget(): RedisTarget {
  const topology = process.env['TEST_REDIS_TOPOLOGY'] ?? 'standalone';
  const { redisUrl, clusterNodes } = testServiceUrls();
  if (topology === 'standalone') return { kind: 'standalone', url: redisUrl };
  if (topology !== 'cluster') {
    throw new Error(`TEST_REDIS_TOPOLOGY must be standalone or cluster, got ${topology}`);
  }
  if (clusterNodes === '') {
    throw new Error(
      'TEST_REDIS_TOPOLOGY=cluster needs REDIS_CLUSTER_NODES: eval "$(npm run -s cluster:start)"',
    );
  }
  const nodes = clusterNodes.split(',').map((entry) => {
    const [host = '', port = ''] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
  return { kind: 'cluster', nodes, tls: false };
}

/** Whether the suites run on the Redis Cluster (`TEST_REDIS_TOPOLOGY=cluster`). */
export function onCluster(): boolean {
  return testRedisTarget().kind === 'cluster';
}
