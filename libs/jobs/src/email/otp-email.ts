import type { EmailMessage } from './email-transport.js';

/**
 * Builds the sign-in code email, in one line of text so the console transport prints exactly
 * one line per email.
 *
 * @param input - Recipient, plain code, its expiry, and the current time.
 * @returns The message to hand to a transport.
 * @example
 * ```ts
 * composeOtpEmail({ to: 'user@example.com', code: '123456', expiresAt, now: new Date() });
 * ```
 */
export function composeOtpEmail(input: {
  to: string;
  code: string;
  expiresAt: Date;
  now: Date;
}): EmailMessage {
  const minutes = Math.max(1, Math.ceil((input.expiresAt.getTime() - input.now.getTime()) / 60_000));
  return {
    to: input.to,
    subject: 'Your sign-in code',
    text:
      `Your sign-in code is ${input.code}. It expires in ${minutes} minute${minutes === 1 ? '' : 's'} ` +
      `(${input.expiresAt.toISOString()}). If you did not ask for it, ignore this email.`,
  };
}

/**
 * Masks an address for logs: `u***@example.com`. Enough to correlate, not enough to harvest.
 *
 * @param email - The address.
 * @returns The masked form.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}
