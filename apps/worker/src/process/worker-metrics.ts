import type { Server } from 'node:http';
import { createMetricsPipeline, startMetricsServer, type MetricsEnv } from '@tses/app-runtime';
import type { RedisTarget } from '@tses/app-runtime';
import { jobDurationRecorder, observeQueueDepths, openQueueReaders, type JobAttemptEvent } from '@tses/jobs';

/** The worker's metrics, when `METRICS_PORT` is set. */
export interface WorkerMetrics {
  /** For `startWorker`'s `onJob`. */
  readonly onJob: (event: JobAttemptEvent) => void;
  close(): Promise<void>;
}

/**
 * Serves the worker's `GET /metrics` on `METRICS_HOST:METRICS_PORT` (token-guarded when
 * `METRICS_TOKEN` is set): job attempt durations by queue, job name and outcome, the depth of every
 * queue of the task list, the audit store's writes, process metrics. `undefined` when
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
  env: MetricsEnv & { readonly redis: RedisTarget; readonly QUEUE_PREFIX: string },
): Promise<WorkerMetrics | undefined> {
  if (env.METRICS_PORT === undefined) return undefined;
  const pipeline = createMetricsPipeline();
  const meter = pipeline.meter('@tses/worker');
  // Connections of their own that fail fast: a scrape while Redis is down must not hang.
  const readers = openQueueReaders(env.redis, { prefix: env.QUEUE_PREFIX, name: 'tses-worker-metrics' });
  const stopDepths = observeQueueDepths(meter, readers.queues);
  let server: Server;
  try {
    server = await startMetricsServer({
      pipeline,
      host: env.METRICS_HOST,
      port: env.METRICS_PORT,
      token: env.METRICS_TOKEN,
    });
  } catch (error) {
    await readers.close();
    await pipeline.shutdown();
    throw error;
  }
  return {
    onJob: jobDurationRecorder(meter),
    async close() {
      stopDepths();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await readers.close();
      await pipeline.shutdown();
    },
  };
}
