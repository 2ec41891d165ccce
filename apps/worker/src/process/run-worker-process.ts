import { createAuditPool, createPostgresAuditStore } from '@tses/audit';
import { parseWorkerEnv, type WorkerConfig } from '../config/env.js';
import { createWorkerLogger } from '../config/logger.js';
import { createConsoleTransport } from '../email/console-transport.js';
import type { EmailTransport } from '../email/email-transport.js';
import { createSmtpTransport } from '../email/smtp-transport.js';
import { startWorker } from '../worker/start-worker.js';

/**
 * The worker process: validates the environment, connects PostgreSQL (audit store) and Redis,
 * consumes jobs, and on SIGTERM/SIGINT shuts down gracefully (in-flight jobs finish within
 * `WORKER_SHUTDOWN_TIMEOUT_MS`) and exits 0. A second signal exits at once with 1.
 * A bad environment prints every problem to stderr and sets exit code 1.
 *
 * @param env - Usually `process.env`.
 * @returns Once the worker runs (or failed to start).
 */
export async function runWorkerProcess(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const parsed = parseWorkerEnv(env);
  if (!parsed.ok) {
    process.stderr.write(
      `[tses-worker] ${parsed.error.message}\nSee apps/worker/README.md or .env.example for every variable.\n`,
    );
    process.exitCode = 1;
    return;
  }
  const config = parsed.config;
  const logger = createWorkerLogger({ level: config.logLevel, pretty: config.nodeEnv === 'development' });
  if (config.email.transport === 'console' && config.nodeEnv === 'production') {
    logger.warn('EMAIL_TRANSPORT=console in production: sign-in codes are printed to stdout, not emailed');
  }

  let pool: Awaited<ReturnType<typeof createAuditPool>>;
  try {
    pool = await createAuditPool({
      databaseUrl: config.databaseUrl,
      onError: (error) =>
        logger.warn({ err: { message: error.message } }, 'idle PostgreSQL connection error'),
    });
  } catch (error) {
    logger.fatal({ err: { message: (error as Error).message } }, 'cannot connect to PostgreSQL; exiting');
    process.exitCode = 1;
    return;
  }
  const transport = createTransport(config);
  const worker = startWorker({
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    auditStore: createPostgresAuditStore({ pool }),
    transport,
    encryptionKey: config.encryptionKey,
    logger,
    concurrency: config.concurrency,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  logger.info({ emailTransport: transport.name, prefix: config.queuePrefix }, 'worker running');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down gracefully');
    void (async () => {
      await worker.close();
      await Promise.allSettled([transport.close(), pool.end()]);
      logger.info('bye');
      logger.flush();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function createTransport(config: WorkerConfig): EmailTransport {
  return config.email.transport === 'smtp'
    ? createSmtpTransport({ url: config.email.smtpUrl, from: config.email.from })
    : createConsoleTransport();
}
