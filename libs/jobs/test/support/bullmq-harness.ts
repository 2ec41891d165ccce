// What every BullMQ test needs, isolated by a random prefix: a publisher, a Queue to inspect,
// a raw Redis client, captured logs, and the workers it starts; `close()` undoes all of it.
import { Queue } from 'bullmq';
import { createMemoryAuditStore } from '@tses/audit';
import type { Redis } from 'ioredis';
import {
  createBullmqJobPublisher,
  startWorker,
  type BullmqJobPublisherOptions,
  type JobPublisher,
  type RunningWorker,
  type StartWorkerOptions,
} from '../../src/index.js';
import { captureLogs, type CapturedLogs } from './log-capture.js';
import { recordingTransport } from './recording-transport.js';
import { deletePrefix, randomKey, randomPrefix, rawRedis, redisUrl } from './services.js';

export interface BullmqHarness {
  readonly prefix: string;
  /** The `JOB_ENCRYPTION_KEY` shared by the publisher and the workers. */
  readonly key: string;
  readonly logs: CapturedLogs;
  readonly redis: Redis;
  readonly publisher: JobPublisher;
  /** The queue under test, for assertions on job state. */
  readonly queue: Queue;
  /** Starts a worker on this prefix (memory audit store, recording transport unless given). */
  startWorker(
    options?: Partial<Pick<StartWorkerOptions, 'auditStore' | 'transport' | 'shutdownTimeoutMs' | 'onJob'>>,
  ): RunningWorker;
  /** Closes the workers, publisher and queue, and deletes every key under the prefix. */
  close(): Promise<void>;
}

export function openBullmqHarness(
  queueName: string,
  publisherOptions: Pick<BullmqJobPublisherOptions, 'retry'> = {},
): BullmqHarness {
  const prefix = randomPrefix();
  const key = randomKey();
  const logs = captureLogs();
  const redis = rawRedis();
  const publisher = createBullmqJobPublisher({
    redisUrl,
    prefix,
    encryptionKey: key,
    logger: logs.logger,
    ...publisherOptions,
  });
  const queue = new Queue(queueName, { connection: { url: redisUrl }, prefix });
  const workers: RunningWorker[] = [];
  return {
    prefix,
    key,
    logs,
    redis,
    publisher,
    queue,
    startWorker(options = {}) {
      const worker = startWorker({
        redisUrl,
        prefix,
        auditStore: createMemoryAuditStore(),
        transport: recordingTransport(),
        encryptionKey: key,
        logger: logs.logger,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close())); // idempotent
      await publisher.close();
      await queue.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
    },
  };
}
