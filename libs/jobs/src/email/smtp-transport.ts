import nodemailer from 'nodemailer';
import type { EmailMessage, EmailTransport } from './email-transport.js';

/** Options of {@link createSmtpTransport}. */
export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer's URL form). */
  readonly url: string;
  /** The `From:` header, e.g. `TSES Auth <no-reply@example.com>`. */
  readonly from: string;
  /** Per-connection timeouts in ms, so a stuck server fails the attempt instead of hanging it. */
  readonly timeoutMs?: number;
}

/**
 * Sends email through an SMTP server with nodemailer. A rejection (server down, 4xx/5xx reply)
 * fails the job attempt, and the job's retry policy takes over.
 *
 * @param options - Server URL, sender, timeout.
 * @returns A transport named `smtp`.
 * @example
 * ```ts
 * const transport = createSmtpTransport({ url: 'smtp://127.0.0.1:1025', from: 'no-reply@example.com' });
 * ```
 */
export function createSmtpTransport(options: SmtpTransportOptions): EmailTransport {
  const timeout = options.timeoutMs ?? 10_000;
  // nodemailer parses the URL itself, including query options such as `?tls.rejectUnauthorized=false`.
  const mailer = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: 'smtp',
    async send(message: EmailMessage, sendOptions?: { signal?: AbortSignal }) {
      await mailer.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(sendOptions?.signal ? { signal: sendOptions.signal } : {}),
      });
    },
    async close() {
      mailer.close();
    },
  };
}
