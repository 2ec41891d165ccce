import type { RedisTarget } from '@tses/app-runtime';
import { Queue } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX } from '../names.js';
import { tasksByQueue } from '../tasks/task-list.js';
import { createRedisClient } from './redis-client.js';
import { bullmqPrefixFor } from './redis-source.js';

/** Every queue of the task list, opened for reading (dashboards, depth gauges). */
export interface QueueReaders {
  /** One `Queue` per queue name of the task list, current and previous versions. */
  readonly queues: readonly Queue[];
  close(): Promise<void>;
}

/**
 * Opens every queue of the task list on a Redis connection of its own that fails fast: a
 * dashboard page or a metrics scrape while Redis is down answers at once instead of queueing
 * behind (or slowing) the app's own commands. On a Redis Cluster the prefix is the same hash tag
 * the publisher and the worker use.
 *
 * @param target - From `redisTargetOf(config)`.
 * @param options - The BullMQ prefix (`QUEUE_PREFIX`) and the connection's name.
 * @returns The queues and how to close them.
 * @example
 * ```ts
 * const readers = openQueueReaders(config.redis, { prefix: config.QUEUE_PREFIX, name: 'tses-board' });
 * ```
 */
export function openQueueReaders(
  target: RedisTarget,
  options: { readonly prefix?: string | undefined; readonly name: string },
): QueueReaders {
  const connection = createRedisClient(target, {
    name: options.name,
    node: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    cluster: { enableOfflineQueue: false },
  });
  connection.on('error', () => undefined); // the app's own connection logs Redis faults
  const prefix = bullmqPrefixFor(options.prefix ?? DEFAULT_QUEUE_PREFIX, connection);
  const queues = [...tasksByQueue().keys()].map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
  return {
    queues,
    async close() {
      await Promise.allSettled(queues.map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
