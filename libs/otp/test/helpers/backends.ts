import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { MemoryOtpStore, Otp, RedisOtpStore, type OtpSettings, type OtpStore } from '../../src/index.js';
import { rateLimitClusterOptions, rateLimitRedisOptions, type RedisClient } from '@tses/redis-ratelimit';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';
import { keysMatching } from '../../../../scripts/test-support/redis-keys.mjs';
import { memoryLimiter, redisLimiter } from './limiters.js';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

const { redisUrl, clusterNodes } = testServiceUrls();

/** One backend the contract suite runs against. */
export interface Backend {
  readonly name: string;
  /** A fresh Otp over this backend, isolated under a random key prefix. */
  otp(settings?: Partial<OtpSettings>): Otp;
  /** The key prefix of the latest `otp()`. */
  readonly prefix: string;
  /** An ioredis connection to the backend's Redis, if any (for SCAN/PTTL assertions). */
  readonly client: Redis | Cluster | undefined;
}

function parseNodes(nodes: string) {
  return nodes.split(',').map((n) => {
    const [host = '127.0.0.1', port = '7101'] = n.trim().split(':');
    return { host, port: Number(port) };
  });
}

/** The client the store and the limiter use, and how to close it. */
interface ClientUnderTest {
  readonly client: RedisClient;
  close(): Promise<void>;
}

async function nodeRedis(cluster: boolean): Promise<ClientUnderTest> {
  const client = cluster
    ? createCluster({
        rootNodes: parseNodes(clusterNodes).map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      })
    : createClient({ url: redisUrl });
  client.on('error', () => undefined);
  await client.connect();
  return { client: client as unknown as RedisClient, close: async () => client.destroy() };
}

async function ioredis(cluster: boolean): Promise<ClientUnderTest> {
  const client = cluster
    ? new Cluster(parseNodes(clusterNodes), { ...rateLimitClusterOptions })
    : new Redis(redisUrl, { ...rateLimitRedisOptions });
  await whenReady(client);
  return { client, close: async () => void (await client.quit()) };
}

/**
 * Runs `suite` once per backend: memory, and standalone Redis and Redis Cluster (skipped when
 * REDIS_CLUSTER_NODES is unset) through ioredis and through node-redis. After each test, no key
 * under the test's prefix may lack a TTL.
 */
export function forEachBackend(suite: (backend: Backend) => void): void {
  const kinds = [
    { name: 'memory', redis: undefined, cluster: false, skip: false },
    { name: 'redis', redis: ioredis, cluster: false, skip: false },
    { name: 'cluster', redis: ioredis, cluster: true, skip: !clusterNodes },
    { name: 'redis (node-redis)', redis: nodeRedis, cluster: false, skip: false },
    { name: 'cluster (node-redis)', redis: nodeRedis, cluster: true, skip: !clusterNodes },
  ] as const;
  for (const kind of kinds) {
    describe.skipIf(kind.skip)(kind.name, () => {
      let underTest: ClientUnderTest | undefined;
      let client: Redis | Cluster | undefined;
      let prefixes: string[] = [];
      beforeAll(async () => {
        if (!kind.redis) return;
        underTest = await kind.redis(kind.cluster);
        client = kind.cluster
          ? new Cluster(parseNodes(clusterNodes), { ...rateLimitClusterOptions })
          : new Redis(redisUrl, { ...rateLimitRedisOptions });
        await whenReady(client);
      });
      afterEach(async () => {
        const used = prefixes;
        prefixes = [];
        if (!client) return;
        for (const prefix of used) await expectEveryKeyToExpire(client, prefix);
        // Tidy up (keys expire anyway): exact keys under this test's random prefix, never FLUSHDB.
        for (const prefix of used) for (const key of await keysUnder(client, prefix)) await client.del(key);
      });
      afterAll(async () => {
        await underTest?.close();
        await client?.quit();
      });
      const backend: Backend = {
        name: kind.name,
        get client() {
          return client;
        },
        get prefix() {
          return prefixes.at(-1) ?? '';
        },
        otp(settings = {}) {
          const keyPrefix = `otp-test:${randomUUID()}:`;
          prefixes.push(keyPrefix);
          const redis = underTest?.client;
          const store: OtpStore = redis ? new RedisOtpStore(redis) : new MemoryOtpStore();
          const limiter = redis ? redisLimiter(redis) : memoryLimiter();
          return new Otp({ serverSecret: SECRET, store, limiter, keyPrefix, settings });
        },
      };
      suite(backend);
    });
  }
}

/**
 * Resolves once the client is `ready`. On a Cluster that leaves the other nodes still connecting;
 * the store and the limiter wait for them (see cluster-connecting.test.ts), so nothing more here.
 */
export async function whenReady(client: Redis | Cluster): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
  });
}

/** The nodes of REDIS_CLUSTER_NODES, for a fresh `Cluster`; `undefined` when it is unset. */
export const clusterStartupNodes = clusterNodes ? parseNodes(clusterNodes) : undefined;

/** Every key under `prefix`, from every primary of a cluster. */
export function keysUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  return keysMatching(client, `${prefix}*`);
}

/** Fails when any key under `prefix` has no TTL (PTTL -1). */
export async function expectEveryKeyToExpire(client: Redis | Cluster, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  const persistent: string[] = [];
  for (const key of keys) if ((await client.pttl(key)) === -1) persistent.push(key);
  expect(persistent, `keys without TTL under ${prefix}`).toEqual([]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts results by status. */
export function countBy<T extends { status: string }>(results: readonly T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
