// Connections to the shared test services, and the per-test checks every Redis-backed test runs:
// no key under the test's random prefix may live forever or hold a negative count.
import { Cluster, Redis } from 'ioredis';
import { expect } from 'vitest';
import { rateLimitClusterOptions, rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';
import { keysMatching } from '../../../../scripts/test-support/redis-keys.mjs';

export const { redisUrl, clusterNodes } = testServiceUrls();

export function connectRedis(url = redisUrl): Redis {
  const redis = new Redis(url, { ...rateLimitRedisOptions, retryStrategy: () => 50 });
  redis.on('error', () => undefined); // outages are provoked on purpose; the limiter reports them
  return redis;
}

export function connectCluster(): Cluster {
  const nodes = clusterNodes.split(',').map((hostPort) => {
    const [host, port] = hostPort.trim().split(':');
    return { host: host!, port: Number(port) };
  });
  const cluster = new Cluster(nodes, { ...rateLimitClusterOptions });
  cluster.on('error', () => undefined);
  return cluster;
}

/** Both ioredis topologies, as `describe.each` rows: a name and how to connect. */
export const IOREDIS_TOPOLOGIES: ReadonlyArray<readonly [string, () => Redis | Cluster]> = [
  ['standalone Redis', () => connectRedis()],
  ['Redis Cluster', () => connectCluster()],
];

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts every key under `prefix` has a finite TTL and a non-negative count; returns how many. */
export async function assertKeysHealthy(client: Redis | Cluster, prefix: string): Promise<number> {
  await whenReady(client);
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  let total = 0;
  for (const node of nodes) {
    for (const key of await keysMatching(node, `${prefix}*`)) {
      total += 1;
      const ttl = await node.pttl(key);
      expect(ttl, `PTTL of ${key}`).not.toBe(-1);
      const type = await node.type(key);
      const count =
        type === 'hash' ? await node.hget(key, 'f') : type === 'string' ? await node.get(key) : '0';
      expect(Number(count ?? 0), `count of ${key}`).toBeGreaterThanOrEqual(0);
    }
  }
  return total;
}

/** Waits until `ready()` says so (or fails after `ms`). */
export async function until(ready: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!ready()) {
    if (Date.now() - started > ms) throw new Error(`not ready after ${ms} ms`);
    await sleep(10);
  }
}

/** Waits until `client` is ready (or fails after `ms`). */
export async function whenReady(client: Redis | Cluster, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (client.status !== 'ready') {
    if (Date.now() - started > ms) throw new Error(`client not ready after ${ms} ms (${client.status})`);
    await sleep(20);
  }
}
