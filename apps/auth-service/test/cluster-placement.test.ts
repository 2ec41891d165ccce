// On a Redis Cluster (`npm run test:cluster`): where the service's keys and BullMQ's land. The
// service's keys spread over the primaries (one hash tag per subject, session or client), while
// every BullMQ key sits under the one hash tag `{<QUEUE_PREFIX>}`, the only way BullMQ's
// multi-key scripts run on a Cluster.
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { onCluster } from './helpers/redis-topology.js';

/** The primaries holding at least one key matching `pattern`, by `host:port`. */
async function nodesHolding(cluster: Cluster, pattern: string): Promise<Set<string>> {
  const holding = new Set<string>();
  for (const node of cluster.nodes('master')) {
    if ((await keysMatching(node, pattern)).length > 0)
      holding.add(`${node.options.host}:${node.options.port}`);
  }
  return holding;
}

describe.runIf(onCluster())('key placement on the Redis Cluster (full mode, real worker)', () => {
  let h: FullHarness;
  let cluster: Cluster;

  beforeAll(async () => {
    h = await startFullHarness();
    if (!h.redis.isCluster) throw new Error('the harness did not connect to the cluster');
    cluster = h.redis as Cluster;
    for (let i = 0; i < 8; i++) {
      const { refresh } = await h.signIn(`placement-${i}@example.com`);
      await h.client.post('/api/v1/auth/token/refresh', { refresh });
    }
    await h.waitForCompleted('audit', 16);
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("spreads the service's keys over the primaries", async () => {
    expect(cluster.nodes('master')).toHaveLength(3);
    expect((await nodesHolding(cluster, `${h.keyPrefix}*`)).size).toBeGreaterThanOrEqual(2);
  });

  it('keeps every BullMQ key under the hash tag {<QUEUE_PREFIX>}, on one primary', async () => {
    expect(await keysMatching(cluster, `${h.queuePrefix}:*`)).toEqual([]);
    const tagged = await keysMatching(cluster, `{${h.queuePrefix}}:*`);
    expect(tagged.filter((key) => key.startsWith(`{${h.queuePrefix}}:otp-email:`)).length).toBeGreaterThan(0);
    expect(tagged.filter((key) => key.startsWith(`{${h.queuePrefix}}:audit:`)).length).toBeGreaterThan(0);
    expect((await nodesHolding(cluster, `{${h.queuePrefix}}:*`)).size).toBe(1);
  });
});
