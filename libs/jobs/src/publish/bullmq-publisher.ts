import { Queue, type Telemetry } from 'bullmq';
import type { Logger } from 'pino';
import { parseEncryptionKey, type JobEncryptionKey } from '../crypto/encryption-key.js';
import { PublisherClosedError, QueueUnavailableError } from '../errors.js';
import { DEFAULT_QUEUE_PREFIX } from '../names.js';
import {
  bullmqPrefixFor,
  closeConnection,
  openProducerConnection,
  whenReady,
  type RedisSource,
} from '../run/redis-source.js';
import type { AnyTask, RetryOverrides } from '../tasks/task-list.js';
import { jobOptionsFor, type JobQueue } from '../tasks/task.js';
import { publishMethods, type JobPublisher } from './job-publisher.js';

/** Options of {@link createBullmqJobPublisher}. */
export type BullmqJobPublisherOptions = RedisSource & {
  /** BullMQ key prefix; must match the worker's. Default `tses` (`{tses}` on a Redis Cluster). */
  readonly prefix?: string;
  /** `JOB_ENCRYPTION_KEY` (32 bytes, base64 or hex) or a parsed key. */
  readonly encryptionKey: string | JobEncryptionKey;
  readonly logger: Logger;
  /** How long a publish may wait for Redis to be (re)connected before failing. Default 1000 ms. */
  readonly readyTimeoutMs?: number;
  /** Retry overrides by job name (tests); default each task's declared policy. */
  readonly retry?: RetryOverrides;
  /** BullMQ telemetry (`jobTracing()`): a job carries the trace that queued it to the worker. */
  readonly telemetry?: Telemetry;
};

/**
 * A {@link JobPublisher} that queues jobs in Redis with BullMQ for `startWorker` to run.
 * Producers fail fast: when Redis is unreachable a publish rejects with `QueueUnavailableError`
 * within `readyTimeoutMs` instead of hanging the HTTP request. The publisher opens its own
 * connection (a fail-fast duplicate of `connection` if one is given, connecting at once even when
 * `connection` was created with `lazyConnect`) and closes it in `close()`.
 *
 * @param options - Redis, prefix, encryption key, logger.
 * @returns The publisher.
 * @throws `JobConfigError` for a bad key.
 * @example
 * ```ts
 * const jobs = createBullmqJobPublisher({ redisUrl: env.REDIS_URL, encryptionKey: env.JOB_ENCRYPTION_KEY, logger });
 * await jobs.sendOtpEmail({ email, otp: code, expiresAt });
 * await jobs.close();
 * ```
 */
export function createBullmqJobPublisher(options: BullmqJobPublisherOptions): JobPublisher {
  const context = { encryptionKey: parseEncryptionKey(options.encryptionKey) };
  const readyTimeoutMs = options.readyTimeoutMs ?? 1_000;
  const logger = options.logger.child({ component: 'job-publisher' });
  const connection = openProducerConnection(options, 'tses-job-producer');
  const prefix = bullmqPrefixFor(options.prefix ?? DEFAULT_QUEUE_PREFIX, connection);
  let reportedDown = false;
  connection.on('error', (err) => {
    // ioredis repeats the error on every reconnect attempt; log the outage once.
    if (!reportedDown) logger.error({ err: { message: err.message } }, 'job queue Redis connection error');
    reportedDown = true;
  });
  connection.on('ready', () => {
    if (reportedDown) logger.info('job queue Redis connection restored');
    reportedDown = false;
  });

  const queues = new Map<string, JobQueue & { close(): Promise<void> }>();
  // A task's queue, as its `enqueue` sees it: BullMQ's `add`, once Redis is ready, with the retry
  // override of the job (tests) and any failure to add as `QueueUnavailableError`.
  const queueOf = (task: AnyTask) => {
    let queue = queues.get(task.queue);
    if (queue) return queue;
    const bullmq = new Queue(task.queue, {
      connection,
      prefix,
      ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
    });
    bullmq.on('error', (err) =>
      logger.error({ err: { message: err.message }, queue: task.queue }, 'job queue error'),
    );
    queue = {
      async add(name, data, opts) {
        await whenReady(connection, readyTimeoutMs);
        const override = options.retry?.[name];
        try {
          const job = await bullmq.add(
            name,
            data,
            override ? { ...opts, ...jobOptionsFor(task, override) } : opts,
          );
          logger.debug({ queue: task.queue, jobName: name, jobId: job.id }, 'job queued');
          return job;
        } catch (cause) {
          throw new QueueUnavailableError(`Could not queue ${name}.`, { cause });
        }
      },
      close: () => bullmq.close(),
    };
    queues.set(task.queue, queue);
    return queue;
  };
  let closed = false;

  return {
    ...publishMethods(async (task, input) => {
      if (closed) throw new PublisherClosedError(`Cannot queue ${task.name}: the publisher is closed.`);
      await task.enqueue(queueOf(task), input as never, context);
    }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      await closeConnection(connection);
    },
  };
}
