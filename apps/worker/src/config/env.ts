import { z } from 'zod';
import { parseEncryptionKey, type JobEncryptionKey } from '../crypto/encryption-key.js';
import { WorkerConfigError } from '../errors.js';
import { DEFAULT_QUEUE_PREFIX } from '../job-names.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A required text variable; the message names what it is for, never echoes its value. */
const required = (purpose: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `is required: ${purpose}` : 'must be text') });

/** An integer variable in `[min, max]`; every way of missing the range gets the same message. */
const integerIn = (min: number, max: number, error: string) =>
  z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });

const urlWith = (protocols: readonly string[], purpose: string) =>
  required(purpose).refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
    error: `is invalid: must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`,
  });

/** The worker's environment variables, with defaults. Values never appear in error messages. */
export const workerEnvSchema = z
  .object({
    REDIS_URL: urlWith(
      ['redis:', 'rediss:'],
      'the Redis server of the job queues, e.g. redis://127.0.0.1:6379',
    ),
    DATABASE_URL: urlWith(
      ['postgres:', 'postgresql:'],
      'the PostgreSQL database of the audit log, e.g. postgres://postgres@127.0.0.1:5432/tses',
    ),
    JOB_ENCRYPTION_KEY: required(
      '32 random bytes, base64 or hex (`openssl rand -base64 32`); the API uses the same',
    ).transform((value, ctx) => {
      try {
        return parseEncryptionKey(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'is invalid: must be 32 bytes as base64 (44 characters) or hex (64 characters)',
        });
        return z.NEVER;
      }
    }),
    EMAIL_TRANSPORT: z
      .enum(['console', 'smtp'], { error: 'is invalid: must be "console" or "smtp"' })
      .optional(),
    SMTP_URL: urlWith(['smtp:', 'smtps:'], 'the SMTP server').optional(),
    EMAIL_FROM: z.string().min(3).max(320).default('TSES Auth <no-reply@localhost>'),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `is invalid: must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    WORKER_CONCURRENCY: integerIn(1, 100, 'is invalid: must be an integer from 1 to 100').default(5),
    WORKER_SHUTDOWN_TIMEOUT_MS: integerIn(
      0,
      600_000,
      'is invalid: must be milliseconds from 0 to 600000',
    ).default(10_000),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'is invalid: letters, digits, "_" or "-" (at most 64)' })
      .default(DEFAULT_QUEUE_PREFIX),
    NODE_ENV: z
      .enum(['development', 'test', 'production'], {
        error: 'is invalid: must be development, test or production',
      })
      .default('development'),
  })
  .superRefine((env, ctx) => {
    if (env.EMAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required when EMAIL_TRANSPORT=smtp' });
    }
  });

/** The worker's validated settings. */
export interface WorkerConfig {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly encryptionKey: JobEncryptionKey;
  /** `smtp` when `EMAIL_TRANSPORT=smtp`, or when it is unset and `SMTP_URL` is set; else `console`. */
  readonly email:
    | { readonly transport: 'console'; readonly from: string }
    | { readonly transport: 'smtp'; readonly smtpUrl: string; readonly from: string };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly concurrency: number;
  readonly shutdownTimeoutMs: number;
  readonly queuePrefix: string;
  readonly nodeEnv: 'development' | 'test' | 'production';
}

/**
 * Validates the environment. Empty values count as unset.
 *
 * @param env - Usually `process.env`.
 * @returns The settings, or a {@link WorkerConfigError} whose `issues` name every bad variable.
 * @example
 * ```ts
 * const result = parseWorkerEnv(process.env);
 * if (!result.ok) throw result.error;
 * ```
 */
export function parseWorkerEnv(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: WorkerConfig } | { ok: false; error: WorkerConfigError } {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = workerEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
    );
    return { ok: false, error: new WorkerConfigError(issues) };
  }
  const e = parsed.data;
  const transport = e.EMAIL_TRANSPORT ?? (e.SMTP_URL ? 'smtp' : 'console');
  return {
    ok: true,
    config: {
      redisUrl: e.REDIS_URL,
      databaseUrl: e.DATABASE_URL,
      encryptionKey: e.JOB_ENCRYPTION_KEY,
      email:
        transport === 'smtp'
          ? { transport, smtpUrl: e.SMTP_URL!, from: e.EMAIL_FROM }
          : { transport, from: e.EMAIL_FROM },
      logLevel: e.LOG_LEVEL,
      concurrency: e.WORKER_CONCURRENCY,
      shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
      queuePrefix: e.QUEUE_PREFIX,
      nodeEnv: e.NODE_ENV,
    },
  };
}
