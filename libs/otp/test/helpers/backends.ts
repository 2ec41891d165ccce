import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { MemoryOtpStore, Otp, RedisOtpStore, type OtpSettings, type OtpStore } from '../../src/index.js';
import { rateLimitClusterOptions, rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';
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
  /** The Redis client, if any (for SCAN/PTTL assertions). */
  readonly client: Redis | Cluster | undefined;
}

function parseNodes(nodes: string) {
  return nodes.split(',').map((n) => {
    const [host = '127.0.0.1', port = '7101'] = n.trim().split(':');
    return { host, port: Number(port) };
  });
}

/**
 * Runs `suite` once per backend: memory, standalone Redis, and Redis Cluster (skipped when
 * REDIS_CLUSTER_NODES is unset). After each test, no key under the test's prefix may lack a TTL.
 */
export function forEachBackend(suite: (backend: Backend) => void): void {
  const kinds = [
    { name: 'memory', skip: false },
    { name: 'redis', skip: false },
    { name: 'cluster', skip: !clusterNodes },
  ] as const;
  for (const kind of kinds) {
    describe.skipIf(kind.skip)(kind.name, () => {
      let client: Redis | Cluster | undefined;
      let prefixes: string[] = [];
      beforeAll(async () => {
        if (kind.name === 'redis') client = new Redis(redisUrl, { ...rateLimitRedisOptions });
        if (kind.name === 'cluster')
          client = new Cluster(parseNodes(clusterNodes), { ...rateLimitClusterOptions });
        if (client) await whenReady(client);
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
          const store: OtpStore = client ? new RedisOtpStore(client) : new MemoryOtpStore();
          const limiter = client ? redisLimiter(client) : memoryLimiter();
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
export async function keysUnder(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const keys: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys;
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
