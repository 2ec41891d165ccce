import { z } from 'zod';

// The messages say what a value must be and never repeat it: a variable may hold a secret.

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino log level (`LOG_LEVEL`). */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * An optional URL whose protocol is one of `protocols` (`redis:`, `postgres:`, …).
 *
 * @param protocols - The accepted protocols, with their colon.
 * @returns A zod schema of `string | undefined`.
 * @example
 * ```ts
 * const SMTP_URL = urlVariable(['smtp:', 'smtps:']);
 * ```
 */
export function urlVariable(protocols: readonly string[]) {
  return z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || (URL.canParse(value) && protocols.includes(new URL(value).protocol)),
      {
        error: `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`,
      },
    );
}

/**
 * A whole number from `min` to `max` (every way of missing that gets the one message).
 *
 * @param min - Smallest allowed.
 * @param max - Largest allowed.
 * @param error - The message (default `must be a whole number from <min> to <max>`).
 * @returns A zod schema coercing the text to a number; add `.default(…)` as needed.
 * @example
 * ```ts
 * const WORKER_CONCURRENCY = integerVariable(1, 100).default(5);
 * ```
 */
export function integerVariable(
  min: number,
  max: number,
  error = `must be a whole number from ${min} to ${max}`,
) {
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * The variables both apps read about the process itself.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...backingServicesEnv });
 * ```
 */
export const runtimeEnv = {
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
    .default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
};

/**
 * Where both apps find Redis and PostgreSQL. Optional here: each app says when it requires them
 * (the worker always; the API in full mode). A Redis Cluster instead of `REDIS_URL`: `redisEnv`.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...backingServicesEnv });
 * ```
 */
export const backingServicesEnv = {
  REDIS_URL: urlVariable(['redis:', 'rediss:']),
  DATABASE_URL: urlVariable(['postgres:', 'postgresql:']),
};

/**
 * The same variable, required: unset is an `is required` problem saying what it is for.
 *
 * @param schema - One of the shared variables (optional by design).
 * @param purpose - What it is for, shown after `is required`.
 * @returns A schema whose output is never `undefined`.
 * @example
 * ```ts
 * const schema = z.object({ REDIS_URL: requiredVariable(backingServicesEnv.REDIS_URL, 'the job queues') });
 * ```
 */
export function requiredVariable<S extends z.ZodType>(schema: S, purpose: string) {
  return schema.transform((value, ctx): NonNullable<z.output<S>> => {
    if (value !== undefined && value !== null) return value;
    ctx.addIssue({ code: 'custom', message: `is required (${purpose})` });
    return z.NEVER;
  });
}
