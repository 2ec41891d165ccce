import { AUDIT_QUEUE_NAME, OTP_EMAIL_QUEUE } from '@tses/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** The queues the dashboard reads, on a connection of their own. */
export interface BoardQueues {
  readonly queues: readonly Queue[];
  close(): Promise<void>;
}

/**
 * Opens the `otp-email` and `audit` queues for Bull Board, on their own Redis connection: the
 * dashboard's reads (job lists, counts) never queue behind or slow the API's limiter calls, and
 * a page opened while Redis is down fails fast instead of waiting.
 *
 * @param redisUrl - `REDIS_URL`.
 * @param prefix - The BullMQ prefix the worker uses (`QUEUE_PREFIX`).
 * @returns The queues and how to close them.
 * @example
 * ```ts
 * const board = openBoardQueues(config.REDIS_URL, config.QUEUE_PREFIX);
 * ```
 */
export function openBoardQueues(redisUrl: string, prefix: string | undefined): BoardQueues {
  const connection = new Redis(redisUrl, {
    connectionName: 'tses-auth-api-board',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  connection.on('error', () => undefined); // the API's own connection logs Redis faults
  const queues = [OTP_EMAIL_QUEUE, AUDIT_QUEUE_NAME].map(
    (name) => new Queue(name, { connection, ...(prefix === undefined ? {} : { prefix }) }),
  );
  for (const queue of queues) queue.on('error', () => undefined);
  return {
    queues,
    async close() {
      await Promise.allSettled(queues.map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
