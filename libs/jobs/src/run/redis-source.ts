import type { RedisTarget } from '@tses/app-runtime';
import type { RedisOptions } from 'ioredis';
import { JobConfigError, QueueUnavailableError } from '../errors.js';
import { createRedisClient, duplicateRedisClient, isCluster, type RedisConnection } from './redis-client.js';

/**
 * Where to reach Redis: an existing ioredis client (`Redis` or `Cluster`), a URL, or a target
 * from the environment (`redisTargetOf`: one server or a Redis Cluster). Exactly one of them.
 * Never configure an ioredis `keyPrefix` (BullMQ rejects it); namespace with `prefix` instead.
 */
export type RedisSource =
  | { readonly connection: RedisConnection; readonly redisUrl?: undefined; readonly redis?: undefined }
  | { readonly redisUrl: string; readonly connection?: undefined; readonly redis?: undefined }
  | { readonly redis: RedisTarget; readonly connection?: undefined; readonly redisUrl?: undefined };

function targetOf(source: { readonly redisUrl: string } | { readonly redis: RedisTarget }): RedisTarget {
  return 'redis' in source && source.redis !== undefined
    ? source.redis
    : { kind: 'standalone', url: (source as { redisUrl: string }).redisUrl };
}

/**
 * BullMQ's key prefix on `connection`: on a Redis Cluster it becomes a hash tag, `{tses}`, because
 * BullMQ's scripts touch several keys of a queue at once and a Cluster runs a script only when all
 * its keys share one slot. One server keeps the plain prefix (and the keys it already holds).
 *
 * @param prefix - The configured prefix (`QUEUE_PREFIX`).
 * @param connection - Where the queues live.
 * @returns The prefix to give BullMQ.
 */
export function bullmqPrefixFor(prefix: string, connection: RedisConnection): string {
  return isCluster(connection) && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

/**
 * Opens a connection for producers that fails fast: no offline queue (a command issued while
 * disconnected rejects at once instead of waiting for a reconnect) and one retry per command.
 * From a passed client, a duplicate with those settings is opened, so the caller's client is
 * left as it was. The connection always starts connecting at once, even when the passed client
 * was created with `lazyConnect`.
 */
export function openProducerConnection(source: RedisSource, name: string): RedisConnection {
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    connectionName: name,
    // A duplicate inherits `lazyConnect`; a lazy one would sit in `wait` forever, because
    // publishes only wait for `ready` and never send the command that would connect it.
    lazyConnect: false,
    // Reconnect attempts at most 500 ms apart (ioredis's default grows to 2 s): once Redis is
    // back, the next publish (which waits up to its `readyTimeoutMs`, 1 s) finds the connection
    // ready, instead of answering 503 for up to 2 s while the API's own client, and /readyz,
    // already say Redis is up.
    retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
  } satisfies RedisOptions;
  // A Cluster's own queue and reconnects: the node settings above apply to each node.
  const cluster = {
    enableOfflineQueue: false,
    lazyConnect: false,
    clusterRetryStrategy: options.retryStrategy,
  };
  return source.connection
    ? duplicateRedisClient(source.connection, options, cluster)
    : createRedisClient(targetOf(source), { name, node: options, cluster });
}

/**
 * Opens (or checks) the connection BullMQ workers share: commands must wait through
 * reconnects rather than fail a job, hence `maxRetriesPerRequest: null`.
 *
 * @returns The connection and whether this code owns it (and must close it).
 * @throws {@link JobConfigError} when a passed client has `maxRetriesPerRequest` set (BullMQ would
 *   throw later).
 */
export function openWorkerConnection(
  source: RedisSource,
  name: string,
): { connection: RedisConnection; owned: boolean } {
  if (source.connection) {
    const options = isCluster(source.connection)
      ? (source.connection.options.redisOptions ?? {})
      : source.connection.options;
    if (options.maxRetriesPerRequest !== null) {
      throw new JobConfigError(
        'startWorker: the Redis connection needs `maxRetriesPerRequest: null` (BullMQ workers block).',
      );
    }
    return { connection: source.connection, owned: false };
  }
  return {
    connection: createRedisClient(targetOf(source), { name, node: { maxRetriesPerRequest: null } }),
    owned: true,
  };
}

/**
 * Waits for a producer connection to be ready, at most `timeoutMs`; covers the first
 * connection at boot and brief reconnects without letting a request hang on an outage.
 *
 * @throws {@link QueueUnavailableError} when not ready in time.
 */
export async function whenReady(connection: RedisConnection, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return;
  if (connection.status === 'end') {
    throw new QueueUnavailableError('The Redis connection for jobs is closed.');
  }
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(
        new QueueUnavailableError(`Redis is not reachable for jobs (not ready within ${timeoutMs} ms).`),
      );
    }, timeoutMs);
    connection.once('ready', onReady);
  });
}

/** Closes a connection politely, then by force if QUIT cannot be sent. */
export async function closeConnection(connection: RedisConnection): Promise<void> {
  if (connection.status === 'end') return;
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
