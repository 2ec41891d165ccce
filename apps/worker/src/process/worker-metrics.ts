import type { Server } from 'node:http';
import { createMetricsPipeline, startMetricsServer, type MetricsEnv } from '@tses/app-runtime';
import {
  AUDIT_QUEUE_NAME,
  jobDurationRecorder,
  OTP_EMAIL_QUEUE,
  observeQueueDepths,
  type JobAttemptEvent,
} from '@tses/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** The worker's metrics, when `METRICS_PORT` is set. */
export interface WorkerMetrics {
  /** For `startWorker`'s `onJob`. */
  readonly onJob: (event: JobAttemptEvent) => void;
  close(): Promise<void>;
}

/**
 * Serves the worker's `GET /metrics` on `METRICS_HOST:METRICS_PORT` (token-guarded when
 * `METRICS_TOKEN` is set): job attempt durations by queue, job name and outcome, the depth of the
 * `otp-email` and `audit` queues, the audit store's writes, process metrics. `undefined` when
 * `METRICS_PORT` is unset (the worker has no HTTP port to share). Call before building the audit
 * store: it takes its meter from the global provider registered here.
 *
 * @param env - The validated variables, plus the queues' Redis and prefix.
 * @returns The metrics, or `undefined`.
 * @example
 * ```ts
 * const metrics = await startWorkerMetrics(config);
 * startWorker({ ...options, ...(metrics ? { onJob: metrics.onJob } : {}) });
 * ```
 */
export async function startWorkerMetrics(
  env: MetricsEnv & { readonly REDIS_URL: string; readonly QUEUE_PREFIX: string },
): Promise<WorkerMetrics | undefined> {
  if (env.METRICS_PORT === undefined) return undefined;
  const pipeline = createMetricsPipeline();
  const meter = pipeline.meter('@tses/worker');
  // A connection of its own that fails fast: a scrape while Redis is down must not hang.
  const connection = new Redis(env.REDIS_URL, {
    connectionName: 'tses-worker-metrics',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  connection.on('error', () => undefined); // the worker's own connection logs Redis faults
  const queues = [OTP_EMAIL_QUEUE, AUDIT_QUEUE_NAME].map(
    (name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }),
  );
  for (const queue of queues) queue.on('error', () => undefined);
  const stopDepths = observeQueueDepths(meter, queues);
  let server: Server;
  try {
    server = await startMetricsServer({
      pipeline,
      host: env.METRICS_HOST,
      port: env.METRICS_PORT,
      token: env.METRICS_TOKEN,
    });
  } catch (error) {
    connection.disconnect();
    await pipeline.shutdown();
    throw error;
  }
  return {
    onJob: jobDurationRecorder(meter),
    async close() {
      stopDepths();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
      await pipeline.shutdown();
    },
  };
}
