import { normalizeEmail } from '@tses/otp/email';
import { DEFAULT_QUEUE_PREFIX, parseEncryptionKey } from '@tses/worker';
import { z } from 'zod';

/** Thrown by {@link loadConfig}: its message names every missing or invalid variable, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One entry per offending variable: `NAME: why`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

const MIN_SECRET_BYTES = 32;

function isEncryptionKey(value: string): boolean {
  try {
    parseEncryptionKey(value);
    return true;
  } catch {
    return false;
  }
}

// `loadConfig` drops empty values before parsing, so `undefined` is the only "unset" left here.
const optionalString = z.string().trim().optional();

const secret = (purpose: string) =>
  optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= MIN_SECRET_BYTES, {
    message: `must be at least ${MIN_SECRET_BYTES} bytes (${purpose}); generate one with: openssl rand -base64 48`,
  });

const positiveInt = (fallback: number, max = 1_000_000) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .positive({ error: 'must be positive' })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);

const urlWithProtocol = (protocols: readonly string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL with protocol ${protocols.join(' or ')}` },
  );

// PEM keys in environment variables usually arrive with literal "\n" sequences.
const pem = optionalString.transform((v) => v?.replace(/\\n/g, '\n'));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    // Loopback unless told otherwise: the image and compose set 0.0.0.0 inside containers.
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce
      .number({ error: 'must be a number' })
      .int()
      .min(0, { error: 'must be 0–65535' })
      .max(65535, { error: 'must be 0–65535' })
      .default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REDIS_URL: urlWithProtocol(['redis:', 'rediss:']),
    DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:']),
    JWT_SECRET: secret('HS256 signing key'),
    JWT_PRIVATE_KEY: pem,
    JWT_PUBLIC_KEY: pem,
    JWT_KEY_ID: optionalString,
    JWT_ISSUER: z.string().min(1).default('tses-auth-service'),
    JWT_AUDIENCE: z.string().min(1).default('tses-api'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(300, 86_400),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(86_400, 90 * 86_400),
    OTP_SECRET: secret('HMAC key for stored OTP hashes'),
    OTP_REQUESTS_PER_EMAIL: positiveInt(3),
    OTP_REQUESTS_PER_IP: positiveInt(10),
    VERIFY_REQUESTS_PER_IP: positiveInt(100),
    JOB_ENCRYPTION_KEY: optionalString.refine((v) => v === undefined || isEncryptionKey(v), {
      message:
        'must be 32 bytes as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32',
    }),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, {
        message: 'must be letters, digits, "_" or "-" (at most 64); the worker must use the same',
      })
      .default(DEFAULT_QUEUE_PREFIX),
    ADMIN_EMAILS: z.string().default(''),
    TRUST_PROXY: z.coerce
      .number({ error: 'must be the number of proxy hops to trust (0 = none)' })
      .int({ error: 'must be an integer number of hops' })
      .min(0, { error: 'must be ≥ 0' })
      .default(0),
    // Unset: resolved below exactly as the worker does (apps/worker/src/config/env.ts).
    EMAIL_TRANSPORT: z.enum(['console', 'smtp']).optional(),
    SMTP_URL: urlWithProtocol(['smtp:', 'smtps:']),
    EMAIL_FROM: z.string().default('TSES Auth <no-reply@localhost>'),
    // No WORKER_CONCURRENCY: embedded mode's in-process runner starts each job as it is queued.
    SHUTDOWN_TIMEOUT_MS: positiveInt(10_000, 600_000),
  })
  .superRefine((env, ctx) => {
    if ((env.REDIS_URL === undefined) !== (env.DATABASE_URL === undefined)) {
      const missing = env.REDIS_URL === undefined ? 'REDIS_URL' : 'DATABASE_URL';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message:
          'is required when the other of REDIS_URL/DATABASE_URL is set (set both for full mode, neither for embedded mode)',
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
    const full = env.REDIS_URL !== undefined && env.DATABASE_URL !== undefined;
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
    if (env.EMAIL_TRANSPORT === 'smtp' && env.SMTP_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required when EMAIL_TRANSPORT=smtp' });
    }
  })
  .transform((env) => ({ ...env, EMAIL_TRANSPORT: emailTransportOf(env) }));

/**
 * The email transport: `EMAIL_TRANSPORT` when set, else `smtp` when `SMTP_URL` is set, else
 * `console`. The worker applies the same rule; a test holds the two together.
 */
function emailTransportOf(env: {
  readonly EMAIL_TRANSPORT?: 'console' | 'smtp' | undefined;
  readonly SMTP_URL?: string | undefined;
}): 'console' | 'smtp' {
  return env.EMAIL_TRANSPORT ?? (env.SMTP_URL === undefined ? 'console' : 'smtp');
}

/** The environment without empty values: `NAME=` means unset, as in the worker. */
function withoutEmptyValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  return present;
}

/** The validated environment, as the service reads it. */
export type Env = z.output<typeof envSchema>;

/** Validated configuration plus the derived run mode. */
export interface Config extends Env {
  /** `full` with Redis + PostgreSQL; `embedded` on in-memory stores with the worker in-process. */
  readonly mode: 'full' | 'embedded';
  /** `ADMIN_EMAILS`, split on commas, trimmed and lower-cased. */
  readonly adminEmails: readonly string[];
}

/**
 * Validates the process environment. An empty (or blank) variable counts as unset, so its
 * default applies: `PORT=` is port 3000, not port 0.
 *
 * @param env - Usually `process.env`.
 * @returns The typed configuration.
 * @throws {ConfigError} naming every missing or invalid variable.
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const value = parsed.data;
  const mode = value.REDIS_URL !== undefined ? 'full' : 'embedded';
  if (mode === 'embedded' && value.NODE_ENV === 'production') {
    throw new ConfigError([
      'REDIS_URL, DATABASE_URL: are required when NODE_ENV=production (embedded mode keeps everything in memory and is for local use only)',
    ]);
  }
  const adminEmails: string[] = [];
  for (const entry of value.ADMIN_EMAILS.split(',').filter((e) => e.trim() !== '')) {
    const normalized = normalizeEmail(entry);
    if (!normalized.ok) throw new ConfigError([`ADMIN_EMAILS: "${entry.trim()}" ${normalized.message}`]);
    adminEmails.push(normalized.email);
  }
  return { ...value, mode, adminEmails };
}
