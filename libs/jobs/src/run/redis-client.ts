import type { RedisTarget } from '@tses/app-runtime';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** An ioredis connection to one server or to a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

// Replies stay in ioredis's default ("legacy") shape, which BullMQ and the libraries expect.
type NodeOptions = Omit<RedisOptions, 'replyMapping'>;
type ClusterClientOptions = Omit<ClusterOptions, 'redisOptions' | 'replyMapping'>;

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** `CLIENT SETNAME` of every connection, e.g. `tses-worker`. */
  readonly name: string;
  /** Options of the connection to one server; on a Cluster, of the connection to each node. */
  readonly node?: NodeOptions;
  /** Options of the Cluster client itself (ignored for one server). */
  readonly cluster?: ClusterClientOptions;
}

/**
 * Opens an ioredis client for `target`: a `Redis` for `REDIS_URL`, a `Cluster` for
 * `REDIS_CLUSTER_NODES`, whose node connections carry `node` plus the cluster's credentials
 * and TLS. Both apps open every connection here, so both reach a cluster the same way.
 *
 * @param target - From `redisTargetOf(config)`.
 * @param options - Connection name and the caller's ioredis options.
 * @returns The client, connecting.
 * @example
 * ```ts
 * const redis = createRedisClient(config.redis, { name: 'tses-worker', node: { maxRetriesPerRequest: null } });
 * ```
 */
export function createRedisClient(target: RedisTarget, options: RedisClientOptions): RedisConnection {
  const node: NodeOptions = { ...options.node, connectionName: options.name };
  if (target.kind === 'standalone') return new Redis(target.url, node);
  return new Cluster(
    target.nodes.map(({ host, port }) => ({ host, port })),
    {
      ...options.cluster,
      ...(target.tls
        ? // ioredis resolves node names to addresses before connecting; keeping the name lets TLS
          // check the certificate against it (managed clusters hand out names, not addresses).
          {
            dnsLookup: (address: string, callback: (error: null, address: string) => void) =>
              callback(null, address),
          }
        : {}),
      redisOptions: {
        ...node,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
        ...(target.tls ? { tls: {} } : {}),
      },
    },
  );
}

/**
 * A second connection to where `connection` goes, with other settings: `duplicate` for one
 * server; for a Cluster, the same seed nodes, with `node` merged by ioredis into the node options
 * it was opened with, so its credentials and TLS are kept (pinned by test/cluster.bullmq.test.ts).
 *
 * @param connection - The connection to copy.
 * @param node - Options of the new connection (to one server, or to each node).
 * @param cluster - Options of the new Cluster client (ignored for one server).
 * @returns The new connection.
 */
export function duplicateRedisClient(
  connection: RedisConnection,
  node: NodeOptions,
  cluster: ClusterClientOptions = {},
): RedisConnection {
  return isCluster(connection)
    ? connection.duplicate([], { ...cluster, redisOptions: node })
    : connection.duplicate(node);
}

/** Whether `connection` is a Redis Cluster client (by its flag: an app may hold two copies of ioredis). */
export function isCluster(connection: RedisConnection): connection is Cluster {
  return connection.isCluster;
}
