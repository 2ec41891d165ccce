import { createConsoleTransport } from './console-transport.js';
import type { EmailTransport } from './email-transport.js';
import { createSmtpTransport } from './smtp-transport.js';

/**
 * The transport the environment names (`jobsEnv`, with `EMAIL_TRANSPORT` resolved by
 * `emailTransportOf`): SMTP to `SMTP_URL` from `EMAIL_FROM`, or the console.
 *
 * @param env - `EMAIL_TRANSPORT`, `SMTP_URL`, `EMAIL_FROM`.
 * @returns The transport (close it on shutdown).
 * @example
 * ```ts
 * const transport = emailTransportFromEnv(config);
 * ```
 */
export function emailTransportFromEnv(env: {
  readonly EMAIL_TRANSPORT: 'console' | 'smtp';
  readonly SMTP_URL?: string | undefined;
  readonly EMAIL_FROM: string;
}): EmailTransport {
  return env.EMAIL_TRANSPORT === 'smtp' && env.SMTP_URL !== undefined
    ? createSmtpTransport({ url: env.SMTP_URL, from: env.EMAIL_FROM })
    : createConsoleTransport();
}
