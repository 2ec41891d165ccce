import { createAuditPool } from '@tses/audit';
import { jobTracing, openQueueReaders } from '@tses/jobs';
import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps.js';
import type { Config } from '../config.js';
import { createSigningKeys } from '../tokens/signing-keys.js';
import { connectRedis } from './connect-redis.js';
import { servicePoolConfiguration } from './pool-configuration.js';
import { buildFullDeps } from './full-deps.js';
import { appSettingsFrom, jwtSettingsFrom, otpSettingsFrom } from './settings-from-config.js';

/** A started runtime: the app's dependencies and how to release them. */
export interface Runtime {
  readonly deps: AppDeps;
  close(): Promise<void>;
}

/**
 * Full mode: connects to Redis and PostgreSQL (failing fast with a clear message when either is
 * down at start) and wires the services. The worker runs as its own process (`start:worker`).
 *
 * @param config - The validated configuration (mode `full`).
 * @param logger - The service logger.
 * @returns The runtime.
 */
export async function startFullRuntime(config: Config, logger: Logger): Promise<Runtime> {
  if (config.redis === undefined || config.DATABASE_URL === undefined)
    throw new Error('full mode needs Redis and DATABASE_URL');
  const signingKeys = await createSigningKeys({
    secret: config.JWT_SECRET,
    privateKeyPem: config.JWT_PRIVATE_KEY,
    publicKeyPem: config.JWT_PUBLIC_KEY,
    keyId: config.JWT_KEY_ID,
  });
  const redis = await connectRedis(config.redis, logger);
  const pool = await createAuditPool({
    databaseUrl: config.DATABASE_URL,
    connectionTimeoutMs: 2_000,
    statementTimeoutMs: 5_000,
    clientConfiguration: servicePoolConfiguration,
    onError: (error) => logger.error({ err: { message: error.message } }, 'PostgreSQL idle connection error'),
  }).catch((error: unknown) => {
    redis.disconnect();
    throw new Error(
      `PostgreSQL is not reachable at ${new URL(config.DATABASE_URL ?? '').host} (DATABASE_URL)`,
      {
        cause: error,
      },
    );
  });
  const { deps, jobs } = buildFullDeps({
    redis,
    // Tracing on: each job carries the trace of the request that queued it to the worker.
    ...(config.OTEL_TRACES_EXPORTER === 'none' ? {} : { jobTelemetry: jobTracing() }),
    pool,
    logger,
    settings: appSettingsFrom(config),
    otpSecret: config.OTP_SECRET ?? '',
    otpSettings: otpSettingsFrom(config),
    signingKeys,
    jwt: jwtSettingsFrom(config),
    jobEncryptionKey: config.JOB_ENCRYPTION_KEY ?? '',
    queuePrefix: config.QUEUE_PREFIX,
  });
  logger.info({ mode: 'full', alg: signingKeys.alg }, 'connected to Redis and PostgreSQL');
  // Bull Board reads every queue on connections of its own (`openQueueReaders`).
  const board = openQueueReaders(config.redis, { prefix: config.QUEUE_PREFIX, name: 'tses-auth-api-board' });
  return {
    deps: { ...deps, boardQueues: board.queues },
    async close() {
      await board.close();
      await jobs.close();
      await pool.end();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
