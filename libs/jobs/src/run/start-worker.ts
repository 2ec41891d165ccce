import { UnrecoverableError, Worker, type Job, type Telemetry } from 'bullmq';
import type { Logger } from 'pino';
import type { AuditStore } from '@tses/audit';
import { parseEncryptionKey, type JobEncryptionKey } from '../crypto/encryption-key.js';
import type { EmailTransport } from '../email/email-transport.js';
import type { JobAttemptEvent } from '../metrics/job-events.js';
import { DEFAULT_QUEUE_PREFIX } from '../names.js';
import { tasksByQueue } from '../tasks/task-list.js';
import type { TaskDependencies } from '../tasks/task.js';
import { jobSteps } from './job-steps.js';
import { settlesWithin } from './race-abort.js';
import { runAttempt } from './run-attempt.js';
import { bullmqPrefixFor, closeConnection, openWorkerConnection, type RedisSource } from './redis-source.js';

/** Options of {@link startWorker}. */
export type StartWorkerOptions = RedisSource & {
  /** BullMQ key prefix; must match the publisher's. Default `tses` (`{tses}` on a Redis Cluster). */
  readonly prefix?: string;
  readonly auditStore: AuditStore;
  readonly transport: EmailTransport;
  /** `JOB_ENCRYPTION_KEY` (32 bytes, base64 or hex) or a parsed key. */
  readonly encryptionKey: string | JobEncryptionKey;
  readonly logger: Logger;
  /** Jobs run at once per queue. Default 5. */
  readonly concurrency?: number;
  /** How long `close()` waits for in-flight jobs before abandoning them. Default 10 000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
  /** Told about every finished attempt (metrics: `jobDurationRecorder`); never the job's data. */
  readonly onJob?: (event: JobAttemptEvent) => void;
  /** BullMQ telemetry (`jobTracing()`): each attempt continues the trace that queued the job. */
  readonly telemetry?: Telemetry;
};

/** A running worker. */
export interface RunningWorker {
  /** Resolves once every queue's worker is connected and consuming. */
  waitUntilReady(): Promise<void>;
  /**
   * Stops taking jobs, lets in-flight jobs finish, and closes connections, within
   * `shutdownTimeoutMs`. Attempts still running then are abandoned: they fail with a retryable
   * error, so BullMQ retries them after their backoff. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts BullMQ consumers for every task queue (`otp-email`, `audit`).
 *
 * @param options - Redis, prefix, dependencies, concurrency, shutdown bound.
 * @returns A handle to await readiness and close gracefully.
 * @throws `JobConfigError` for a bad key, or a passed connection without
 *   `maxRetriesPerRequest: null`.
 * @example
 * ```ts
 * const worker = startWorker({ redisUrl, auditStore, transport, encryptionKey, logger });
 * process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
 * ```
 */
export function startWorker(options: StartWorkerOptions): RunningWorker {
  const deps: TaskDependencies = {
    transport: options.transport,
    auditStore: options.auditStore,
    encryptionKey: parseEncryptionKey(options.encryptionKey),
    now: options.now ?? (() => new Date()),
  };
  const logger = options.logger;
  const concurrency = options.concurrency ?? 5;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const { connection, owned } = openWorkerConnection(options, 'tses-worker');
  if (owned) connection.on('error', () => {}); // each Worker logs the same error below
  const prefix = bullmqPrefixFor(options.prefix ?? DEFAULT_QUEUE_PREFIX, connection);
  const abandon = new AbortController();

  const queues = tasksByQueue();
  const workers = [...queues].map(([queue, byName]) => {
    const worker = new Worker(
      queue,
      async (job) => {
        const task = byName.get(job.name);
        if (!task) {
          logger.error({ queue, jobName: job.name, jobId: job.id, outcome: 'failed' }, 'unknown job name');
          throw new UnrecoverableError(`Unknown job name ${job.name} on queue ${queue}`);
        }
        const meta = {
          queue,
          jobId: job.id ?? 'unknown',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          signal: abandon.signal,
          steps: jobSteps(job),
        };
        return runAttempt(task, job.data, deps, meta, logger);
      },
      {
        connection,
        prefix,
        concurrency,
        ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
      },
    );
    worker.on('error', (err) => logger.error({ queue, err: { message: err.message } }, 'worker error'));
    if (options.onJob !== undefined) reportAttempts(worker, queue, options.onJob);
    return worker;
  });
  logger.info({ queues: [...queues.keys()], concurrency }, 'worker started');

  let closing: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    logger.info({ shutdownTimeoutMs }, 'worker closing: waiting for in-flight jobs');
    const graceful = Promise.allSettled(workers.map((worker) => worker.close()));
    if (!(await settlesWithin(graceful, shutdownTimeoutMs))) {
      // worker.close() has no timeout of its own: fail the stragglers so BullMQ can finish closing.
      logger.warn(
        { shutdownTimeoutMs },
        'shutdown timeout: abandoning in-flight jobs (they will be retried)',
      );
      abandon.abort(new Error('worker shutdown timeout: attempt abandoned'));
      if (!(await settlesWithin(graceful, 5_000))) logger.error('workers did not close; disconnecting');
    }
    if (owned) await closeConnection(connection);
    logger.info('worker closed');
  }

  return {
    async waitUntilReady() {
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

/** Calls `onJob` for every finished attempt of `worker` (a throwing hook is ignored). */
function reportAttempts(worker: Worker, queue: string, onJob: (event: JobAttemptEvent) => void): void {
  const report = (job: Job, outcome: JobAttemptEvent['outcome']) => {
    const started = job.processedOn ?? Date.now();
    try {
      onJob({
        queue,
        name: job.name,
        outcome,
        durationMs: Math.max(0, (job.finishedOn ?? Date.now()) - started),
      });
    } catch {
      // Metrics must never fail a job.
    }
  };
  worker.on('completed', (job) => report(job, 'completed'));
  worker.on('failed', (job) => {
    if (job === undefined) return;
    // BullMQ sets `finishedOn` only once no attempt is left (or the error was unrecoverable).
    report(job, job.finishedOn === undefined ? 'retrying' : 'failed');
  });
}
