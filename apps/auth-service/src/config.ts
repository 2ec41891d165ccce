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
  runtimeEnv,
  AppConfigError,
  type Environment,
  type RedisTarget,
} from '@tses/app-runtime';
import { normalizeEmail } from '@tses/core';
import { checkJobsEnv, emailTransportOf, jobsEnv } from '@tses/jobs';
import { z } from 'zod';

const MIN_SECRET_BYTES = 32;

// `loadEnv` drops empty values before parsing, so `undefined` is the only "unset" left here.
const optionalString = z.string().trim().optional();

const secret = (purpose: string) =>
  optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= MIN_SECRET_BYTES, {
    message: `must be at least ${MIN_SECRET_BYTES} bytes (${purpose}); generate one with: openssl rand -base64 48`,
  });

// PEM keys in environment variables usually arrive with literal "\n" sequences.
const pem = optionalString.transform((v) => v?.replace(/\\n/g, '\n'));

/**
 * The API's environment: the variables both apps read (`@tses/app-runtime`, `@tses/jobs`), all
 * optional here (no `REDIS_URL` and no `DATABASE_URL` is embedded mode), plus the API's own.
 */
const envSchema = z
  .object({
    ...runtimeEnv,
    ...backingServicesEnv,
    ...redisEnv,
    ...jobsEnv,
    ...metricsEnv,
    ...tracingEnv,
    // Loopback unless told otherwise: the image and compose set 0.0.0.0 inside containers.
    HOST: z.string().default('127.0.0.1'),
    PORT: integerVariable(0, 65_535).default(3000),
    JWT_SECRET: secret('HS256 signing key'),
    JWT_PRIVATE_KEY: pem,
    JWT_PUBLIC_KEY: pem,
    JWT_KEY_ID: optionalString,
    JWT_ISSUER: z.string().min(1).default('tses-auth-service'),
    JWT_AUDIENCE: z.string().min(1).default('tses-api'),
    ACCESS_TOKEN_TTL_SECONDS: integerVariable(1, 86_400).default(300),
    REFRESH_TOKEN_TTL_SECONDS: integerVariable(1, 90 * 86_400).default(86_400),
    OTP_SECRET: secret('HMAC key for stored OTP hashes'),
    OTP_REQUESTS_PER_EMAIL: integerVariable(1, 1_000_000).default(3),
    OTP_REQUESTS_PER_IP: integerVariable(1, 1_000_000).default(10),
    VERIFY_REQUESTS_PER_IP: integerVariable(1, 1_000_000).default(100),
    ADMIN_EMAILS: z.string().default(''),
    TRUST_PROXY: integerVariable(
      0,
      Number.MAX_SAFE_INTEGER,
      'must be the number of proxy hops to trust (0 = none)',
    ).default(0),
    // No WORKER_CONCURRENCY: embedded mode's in-process runner starts each job as it is queued.
    SHUTDOWN_TIMEOUT_MS: integerVariable(1, 600_000).default(10_000),
  })
  // Also when another variable is invalid, so every Redis problem is named in the same run.
  .superRefine((env, ctx) => checkRedisEnv(env, ctx), { when: () => true })
  .superRefine((env, ctx) => {
    const hasRedis = env.REDIS_URL !== undefined || env.REDIS_CLUSTER_NODES !== undefined;
    if (hasRedis !== (env.DATABASE_URL !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [hasRedis ? 'DATABASE_URL' : 'REDIS_URL'],
        message: hasRedis
          ? 'is required when REDIS_URL or REDIS_CLUSTER_NODES is set (set Redis and DATABASE_URL for full mode, neither for embedded mode)'
          : 'is required when DATABASE_URL is set, or REDIS_CLUSTER_NODES for a Redis Cluster (set Redis and DATABASE_URL for full mode, neither for embedded mode)',
      });
    }
    if ((env.JWT_PRIVATE_KEY === undefined) !== (env.JWT_PUBLIC_KEY === undefined)) {
      const missing = env.JWT_PRIVATE_KEY === undefined ? 'JWT_PRIVATE_KEY' : 'JWT_PUBLIC_KEY';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is required with its pair (EdDSA key pair)',
      });
    }
    const full = hasRedis && env.DATABASE_URL !== undefined;
    if (full && env.JWT_SECRET === undefined && env.JWT_PRIVATE_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required (or JWT_PRIVATE_KEY + JWT_PUBLIC_KEY for EdDSA)',
      });
    }
    if (full && env.OTP_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['OTP_SECRET'], message: 'is required' });
    }
    if (full && env.JOB_ENCRYPTION_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['JOB_ENCRYPTION_KEY'], message: 'is required' });
    }
    checkJobsEnv(env, ctx);
    checkMetricsEnv(env, ctx);
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    }
  })
  .transform((env) => ({ ...env, EMAIL_TRANSPORT: emailTransportOf(env) }));

/** The validated environment, as the service reads it. */
export type Env = z.output<typeof envSchema>;

/** Validated configuration plus the derived run mode. */
export interface Config extends Env {
  /** `full` with Redis + PostgreSQL; `embedded` on in-memory stores with the worker in-process. */
  readonly mode: 'full' | 'embedded';
  /** One Redis server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`); unset in embedded mode. */
  readonly redis: RedisTarget | undefined;
  /** `ADMIN_EMAILS`, split on commas, trimmed and lower-cased. */
  readonly adminEmails: readonly string[];
}

/**
 * Validates the process environment. An empty (or blank) variable counts as unset, so its
 * default applies: `PORT=` is port 3000, not port 0.
 *
 * @param env - Usually `process.env`.
 * @returns The typed configuration.
 * @throws `AppConfigError` naming every missing or invalid variable, `NAME: why`.
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 */
export function loadConfig(env: Environment): Config {
  const value = loadEnv(envSchema, env);
  const redis = redisTargetOf(value);
  const mode = redis !== undefined ? 'full' : 'embedded';
  if (mode === 'embedded' && value.NODE_ENV === 'production') {
    throw new AppConfigError([
      'REDIS_URL, DATABASE_URL: are required when NODE_ENV=production (embedded mode keeps everything in memory and is for local use only)',
    ]);
  }
  const adminEmails: string[] = [];
  for (const entry of value.ADMIN_EMAILS.split(',').filter((e) => e.trim() !== '')) {
    const normalized = normalizeEmail(entry);
    if (!normalized.ok) throw new AppConfigError([`ADMIN_EMAILS: "${entry.trim()}" ${normalized.message}`]);
    adminEmails.push(normalized.email);
  }
  return { ...value, mode, redis, adminEmails };
}
