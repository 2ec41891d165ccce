import { AppConfigError, installGracefulShutdown, startTracing, type Environment } from '@tses/app-runtime';
import { createAuditPool, createPostgresAuditStore } from '@tses/audit';
import { emailTransportFromEnv, jobTracing, startWorker } from '@tses/jobs';
import { loadWorkerConfig, type WorkerConfig } from '../config.js';
import { createWorkerLogger } from '../logger.js';
import { startWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';

/**
 * The worker process: validates the environment, connects PostgreSQL (audit store) and Redis,
 * consumes jobs, and on SIGTERM/SIGINT shuts down gracefully (in-flight jobs finish within
 * `WORKER_SHUTDOWN_TIMEOUT_MS`) and exits 0. A second signal exits at once with 1.
 * A bad environment prints every problem to stderr and sets exit code 1.
 *
 * @param env - Usually `process.env`.
 * @returns Once the worker runs (or failed to start).
 */
export async function runWorkerProcess(env: Environment): Promise<void> {
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig(env);
  } catch (error) {
    if (!(error instanceof AppConfigError)) throw error;
    process.stderr.write(
      `[tses-worker] ${error.message}\nSee apps/worker/README.md or .env.example for every variable.\n`,
    );
    process.exitCode = 1;
    return;
  }
  const logger = createWorkerLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development' });
  if (config.EMAIL_TRANSPORT === 'console' && config.NODE_ENV === 'production') {
    logger.warn('EMAIL_TRANSPORT=console in production: sign-in codes are printed to stdout, not emailed');
  }

  // Before the audit store: it takes the global tracer provider when built.
  const tracing = startTracing(config, 'tses-worker');
  let metrics: WorkerMetrics | undefined;
  try {
    metrics = await startWorkerMetrics(config);
  } catch (error) {
    logger.fatal(
      { err: { message: (error as Error).message } },
      'cannot serve metrics (METRICS_PORT); exiting',
    );
    process.exitCode = 1;
    return;
  }
  let pool: Awaited<ReturnType<typeof createAuditPool>>;
  try {
    pool = await createAuditPool({
      databaseUrl: config.DATABASE_URL,
      onError: (error) =>
        logger.warn({ err: { message: error.message } }, 'idle PostgreSQL connection error'),
    });
  } catch (error) {
    logger.fatal({ err: { message: (error as Error).message } }, 'cannot connect to PostgreSQL; exiting');
    await metrics?.close();
    process.exitCode = 1;
    return;
  }
  const transport = emailTransportFromEnv(config);
  const worker = startWorker({
    redis: config.redis,
    prefix: config.QUEUE_PREFIX,
    auditStore: createPostgresAuditStore({ pool }),
    transport,
    encryptionKey: config.JOB_ENCRYPTION_KEY,
    logger,
    concurrency: config.WORKER_CONCURRENCY,
    shutdownTimeoutMs: config.WORKER_SHUTDOWN_TIMEOUT_MS,
    ...(metrics === undefined ? {} : { onJob: metrics.onJob }),
    ...(tracing === undefined ? {} : { telemetry: jobTracing() }),
  });
  logger.info(
    { emailTransport: transport.name, prefix: config.QUEUE_PREFIX, redis: config.redis.kind },
    'worker running',
  );
  // startWorker bounds the drain by WORKER_SHUTDOWN_TIMEOUT_MS itself, then abandons what is left.
  installGracefulShutdown({
    logger,
    close: async () => {
      await worker.close();
      await Promise.allSettled([transport.close(), pool.end(), metrics?.close()]);
      await tracing?.shutdown();
    },
  });
}
