import {
  backingServicesEnv,
  checkMetricsEnv,
  checkRedisEnv,
  metricsEnv,
  tracingEnv,
  integerVariable,
  loadEnv,
  redisEnv,
  redisTargetOf,
  requiredVariable,
  runtimeEnv,
  type Environment,
} from '@tses/app-runtime';
import { checkJobsEnv, emailTransportOf, jobsEnv } from '@tses/jobs';
import { z } from 'zod';

/**
 * The worker's environment: the variables both apps read (`@tses/app-runtime`, `@tses/jobs`),
 * here all required that the worker cannot run without (Redis: `REDIS_URL`, or
 * `REDIS_CLUSTER_NODES` for a Redis Cluster), plus its own two.
 */
const workerEnvSchema = z
  .object({
    ...runtimeEnv,
    ...jobsEnv,
    ...redisEnv,
    ...metricsEnv,
    ...tracingEnv,
    DATABASE_URL: requiredVariable(
      backingServicesEnv.DATABASE_URL,
      'the PostgreSQL database of the audit log, e.g. postgres://postgres@127.0.0.1:5432/tses',
    ),
    JOB_ENCRYPTION_KEY: requiredVariable(
      jobsEnv.JOB_ENCRYPTION_KEY,
      '32 random bytes, base64 or hex: `openssl rand -base64 32`; the API uses the same',
    ),
    WORKER_CONCURRENCY: integerVariable(1, 100).default(5),
    WORKER_SHUTDOWN_TIMEOUT_MS: integerVariable(0, 600_000).default(10_000),
  })
  // Also when another variable is invalid, so a missing Redis is named with every other problem.
  .superRefine(
    (env, ctx) => checkRedisEnv(env, ctx, 'the Redis server of the job queues, e.g. redis://127.0.0.1:6379'),
    { when: () => true },
  )
  .superRefine((env, ctx) => {
    checkJobsEnv(env, ctx);
    checkMetricsEnv(env, ctx);
  })
  .transform((env) => {
    const redis = redisTargetOf(env);
    // checkRedisEnv refused a missing Redis above; this only narrows the type.
    if (redis === undefined) throw new Error('unreachable: Redis is required');
    return { ...env, redis, EMAIL_TRANSPORT: emailTransportOf(env) };
  });

/** The worker's validated settings, under their variable names. */
export type WorkerConfig = z.output<typeof workerEnvSchema>;

/**
 * Validates the worker's environment. Empty values count as unset.
 *
 * @param env - Usually `process.env`.
 * @returns The settings; `EMAIL_TRANSPORT` resolved (`smtp` when unset and `SMTP_URL` is set).
 * @throws `AppConfigError` naming every missing or invalid variable, `NAME: why`.
 * @example
 * ```ts
 * const config = loadWorkerConfig(process.env);
 * ```
 */
export function loadWorkerConfig(env: Environment): WorkerConfig {
  return loadEnv(workerEnvSchema, env);
}
