// The Redis clients the library is tested with, each created as its README section says, for a
// standalone server and for a Cluster. `FULL` runs every guarantee; `SMOKE` (other majors and
// the ioredis fork) runs a lighter set, to keep CI within its time budget.
import { Cluster as Ioredis6Cluster, Redis as Ioredis6 } from 'ioredis';
import { Cluster as Ioredis5Cluster, Redis as Ioredis5 } from 'ioredis5';
import { Cluster as IovalkeyCluster, Redis as Iovalkey } from 'iovalkey';
import { createClient, createCluster } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { rateLimitClusterOptions, rateLimitRedisOptions, type RedisClient } from '@tses/redis-ratelimit';
import { clusterNodes, redisUrl, until } from './services.js';

/** One connected client under test, and how to let it go. */
export interface TestClient {
  readonly client: RedisClient;
  /** Whether it is connected now (ioredis `status`, node-redis `isReady`). */
  ready(): boolean;
  close(): Promise<void>;
}

export interface ClientKind {
  /** e.g. `ioredis 6`, `node-redis 6`. */
  readonly name: string;
  /** `ioredis` for the ioredis family (ioredis 5/6, iovalkey), else `node-redis`. */
  readonly family: 'ioredis' | 'node-redis';
  /** A client of a standalone server, connected (or, with `lazy`, not yet asked to connect). */
  standalone(url?: string, options?: { lazy?: boolean }): Promise<TestClient>;
  /**
   * A client of a Redis Cluster, ready (its node connections may still be opening);
   * `reconnectMs`: node-redis's pause between reconnection attempts (default 50).
   */
  cluster(
    nodes?: readonly { host: string; port: number }[],
    options?: { reconnectMs?: number },
  ): Promise<TestClient>;
}

export const sharedClusterNodes = (): { host: string; port: number }[] =>
  clusterNodes.split(',').map((hostPort) => {
    const [host, port] = hostPort.trim().split(':');
    return { host: host!, port: Number(port) };
  });

interface IoredisCtor {
  new (url: string, options: object): IoredisInstance;
}
interface IoredisClusterCtor {
  new (nodes: { host: string; port: number }[], options: object): IoredisInstance;
}
interface IoredisInstance {
  readonly status: string;
  on(event: 'error', listener: () => void): unknown;
  disconnect(): void;
}

function ioredisKind(name: string, Redis: IoredisCtor, Cluster: IoredisClusterCtor): ClientKind {
  const wrap = async (client: IoredisInstance, lazy = false): Promise<TestClient> => {
    client.on('error', () => undefined); // outages are provoked on purpose; the limiter reports them
    const ready = () => client.status === 'ready';
    if (!lazy) await until(ready);
    return { client: client as unknown as RedisClient, ready, close: async () => client.disconnect() };
  };
  return {
    name,
    family: 'ioredis',
    standalone: (url = redisUrl, options = {}) =>
      wrap(
        new Redis(url, {
          ...rateLimitRedisOptions,
          retryStrategy: () => 50,
          ...(options.lazy ? { lazyConnect: true } : {}),
        }),
        options.lazy,
      ),
    cluster: (nodes = sharedClusterNodes()) => wrap(new Cluster([...nodes], { ...rateLimitClusterOptions })),
  };
}

interface NodeRedisInstance {
  readonly isReady?: boolean;
  readonly isOpen: boolean;
  on(event: 'error', listener: () => void): unknown;
  connect(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<void>;
  close?(): Promise<void>;
}

function nodeRedisKind(
  name: string,
  create: (options: object) => NodeRedisInstance,
  createClusterClient: (options: object) => NodeRedisInstance,
): ClientKind {
  const wrap = async (client: NodeRedisInstance, lazy = false): Promise<TestClient> => {
    client.on('error', () => undefined);
    const ready = () => client.isReady ?? client.isOpen;
    if (!lazy) await client.connect();
    return {
      client: client as unknown as RedisClient,
      ready,
      close: async () => {
        if (!client.isOpen) return;
        if (client.destroy) client.destroy();
        else await client.disconnect?.();
      },
    };
  };
  return {
    name,
    family: 'node-redis',
    // Reconnects every 50 ms, like the ioredis clients above (the default backs off to 2 s).
    standalone: (url = redisUrl, options = {}) =>
      wrap(create({ url, socket: { reconnectStrategy: () => 50 } }), options.lazy),
    cluster: (nodes = sharedClusterNodes(), options = {}) =>
      wrap(
        createClusterClient({
          rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
          defaults: { socket: { reconnectStrategy: () => options.reconnectMs ?? 50 } },
        }),
      ),
  };
}

export const IOREDIS_6 = ioredisKind('ioredis 6', Ioredis6, Ioredis6Cluster);
export const NODE_REDIS_6 = nodeRedisKind(
  'node-redis 6',
  createClient as unknown as (options: object) => NodeRedisInstance,
  createCluster as unknown as (options: object) => NodeRedisInstance,
);
export const IOREDIS_5 = ioredisKind('ioredis 5', Ioredis5, Ioredis5Cluster);
export const IOVALKEY = ioredisKind('iovalkey', Iovalkey, IovalkeyCluster);
export const NODE_REDIS_5 = nodeRedisKind(
  'node-redis 5',
  createClient5 as unknown as (options: object) => NodeRedisInstance,
  createCluster5 as unknown as (options: object) => NodeRedisInstance,
);

/** Every guarantee is tested on these. */
export const FULL_CLIENTS: readonly ClientKind[] = [IOREDIS_6, NODE_REDIS_6];
/** A lighter set of checks runs on these. */
export const SMOKE_CLIENTS: readonly ClientKind[] = [IOREDIS_5, NODE_REDIS_5, IOVALKEY];
