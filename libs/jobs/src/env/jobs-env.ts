import { urlVariable } from '@tses/app-runtime';
import { z } from 'zod';
import { parseEncryptionKey } from '../crypto/encryption-key.js';
import { DEFAULT_QUEUE_PREFIX } from '../names.js';

/**
 * The job system's variables, read by both apps (the API publishes, the worker consumes, and
 * both must agree on the key and the prefix). `JOB_ENCRYPTION_KEY` parses to a `KeyObject`, so
 * the key is never printed by accident; each app says when it is required.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...jobsEnv }).superRefine(checkJobsEnv);
 * ```
 */
export const jobsEnv = {
  JOB_ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        return parseEncryptionKey(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be 32 bytes as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32',
        });
        return z.NEVER;
      }
    }),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: 'must be letters, digits, "_" or "-" (at most 64); the API and the worker must use the same',
    })
    .default(DEFAULT_QUEUE_PREFIX),
  EMAIL_TRANSPORT: z.enum(['console', 'smtp'], { error: 'must be "console" or "smtp"' }).optional(),
  SMTP_URL: urlVariable(['smtp:', 'smtps:']),
  EMAIL_FROM: z
    .string()
    .min(3, { error: 'must be 3 to 320 characters' })
    .max(320, { error: 'must be 3 to 320 characters' })
    .default('TSES Auth <no-reply@localhost>'),
};

/** The email settings as {@link jobsEnv} parses them. */
interface EmailEnv {
  readonly EMAIL_TRANSPORT?: 'console' | 'smtp' | undefined;
  readonly SMTP_URL?: string | undefined;
}

/**
 * The checks across the job variables: `EMAIL_TRANSPORT=smtp` needs `SMTP_URL`.
 *
 * @param env - The parsed values.
 * @param ctx - The zod refinement context (`superRefine`).
 * @example
 * ```ts
 * z.object({ ...jobsEnv }).superRefine(checkJobsEnv);
 * ```
 */
export function checkJobsEnv(env: EmailEnv, ctx: z.RefinementCtx): void {
  if (env.EMAIL_TRANSPORT === 'smtp' && env.SMTP_URL === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required when EMAIL_TRANSPORT=smtp' });
  }
}

/**
 * The email transport both apps use: `EMAIL_TRANSPORT` when set, else `smtp` when `SMTP_URL` is
 * set, else `console`.
 *
 * @param env - The parsed values.
 * @returns The transport's kind.
 * @example
 * ```ts
 * const env = loadEnv(schema.transform((e) => ({ ...e, EMAIL_TRANSPORT: emailTransportOf(e) })), process.env);
 * ```
 */
export function emailTransportOf(env: EmailEnv): 'console' | 'smtp' {
  return env.EMAIL_TRANSPORT ?? (env.SMTP_URL === undefined ? 'console' : 'smtp');
}
