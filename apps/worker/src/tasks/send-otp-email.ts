import { UnrecoverableError, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import { decryptOtp, OTP_ENVELOPE_PATTERN } from '../crypto/otp-cipher.js';
import { composeOtpEmail, maskEmail } from '../email/otp-email.js';
import { OTP_EMAIL_QUEUE, SEND_OTP_EMAIL_JOB } from '../job-names.js';
import type { RetryPolicy, Task } from './task.js';

/** A deliverable address: no whitespace, one `@`, at most 320 characters (RFC 5321 §4.5.3.1). */
const emailAddress = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

/**
 * Payload of a `send_otp_email` job. The code travels only as an AES-256-GCM envelope bound
 * to `email` (see `encryptOtp`): BullMQ stores job data in Redis as plain JSON.
 */
export const sendOtpEmailPayloadSchema = z.strictObject({
  email: emailAddress,
  otp: z.string().regex(OTP_ENVELOPE_PATTERN, 'must be an encrypted OTP envelope'),
  expiresAt: z.iso.datetime({ offset: true }),
});

/** The `send_otp_email` job data as stored in the queue. */
export type SendOtpEmailPayload = z.infer<typeof sendOtpEmailPayloadSchema>;

/**
 * Retry policy: 5 attempts, 2 s doubling (≈ 30 s in all), well inside a 5-minute code lifetime;
 * later attempts skip a code that has expired meanwhile.
 */
export const sendOtpEmailRetry: RetryPolicy = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.25 },
};

/**
 * BullMQ options for `send_otp_email` jobs: the retry policy, completed jobs removed at once
 * (their ciphertext has no further use), failed ones kept a week for inspection.
 */
export const sendOtpEmailJobOptions = {
  attempts: sendOtpEmailRetry.attempts,
  backoff: { ...sendOtpEmailRetry.backoff },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const satisfies JobsOptions;

/**
 * Sends the sign-in code email. An expired code is skipped (completed, not sent, not retried);
 * a payload that fails to decrypt is an `UnrecoverableError`; a transport failure is retried.
 */
export const sendOtpEmailTask: Task<typeof sendOtpEmailPayloadSchema> = {
  name: SEND_OTP_EMAIL_JOB,
  queue: OTP_EMAIL_QUEUE,
  payload: sendOtpEmailPayloadSchema,
  retry: sendOtpEmailRetry,
  retention: {
    removeOnComplete: sendOtpEmailJobOptions.removeOnComplete,
    removeOnFail: sendOtpEmailJobOptions.removeOnFail,
  },
  async run(payload, deps, context) {
    const now = deps.now();
    const expiresAt = new Date(payload.expiresAt);
    const to = maskEmail(payload.email);
    if (expiresAt.getTime() <= now.getTime()) {
      // Not a failure: the user already needs a new code, and mailing this one would only confuse.
      return {
        outcome: 'skipped',
        detail: { reason: 'expired', to, expiredMsAgo: now.getTime() - expiresAt.getTime() },
      };
    }
    let code: string;
    try {
      code = decryptOtp(payload.otp, payload.email, deps.encryptionKey);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : 'OTP decryption failed');
    }
    await deps.transport.send(composeOtpEmail({ to: payload.email, code, expiresAt, now }), {
      signal: context.signal,
    });
    return { outcome: 'completed', detail: { to, transport: deps.transport.name } };
  },
};
