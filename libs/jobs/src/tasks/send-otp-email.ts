import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { decryptOtp, encryptOtp, OTP_ENVELOPE_PATTERN } from '../crypto/otp-cipher.js';
import { composeOtpEmail, maskEmail } from '../email/otp-email.js';
import { OTP_EMAIL_QUEUE, SEND_OTP_EMAIL_JOB } from '../names.js';
import { defineTask, jobOptionsFor, parseJobPayload, type RetryPolicy } from './task.js';

/** What the API hands over: the plain code, as `@tses/otp` returns it (encrypted before it leaves). */
export const sendOtpEmailInputSchema = z.strictObject({
  email: z.string().min(3).max(320),
  otp: z.string().min(1).max(64),
  expiresAt: z.date(),
});

/** Input of the publishers' `sendOtpEmail`. */
export type SendOtpEmailInput = z.infer<typeof sendOtpEmailInputSchema>;

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

// Completed jobs are removed at once (their ciphertext has no further use), failed ones kept a
// week for inspection.
const retention = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600, count: 10_000 } };
// Built once: every job of the task is added with them.
const jobOptions = jobOptionsFor({ retry: sendOtpEmailRetry, retention });

/**
 * Sends the sign-in code email (`jobs.sendOtpEmail`). An expired code is skipped (completed, not
 * sent, not retried); a payload that fails to decrypt is an `UnrecoverableError`; a transport
 * failure is retried.
 */
export const sendOtpEmailTask = defineTask<
  'sendOtpEmail',
  SendOtpEmailInput,
  typeof sendOtpEmailPayloadSchema
>({
  name: SEND_OTP_EMAIL_JOB,
  queue: OTP_EMAIL_QUEUE,
  publishAs: 'sendOtpEmail',
  payload: sendOtpEmailPayloadSchema,
  retry: sendOtpEmailRetry,
  retention,
  async enqueue(queue, input, { encryptionKey }) {
    const parsed = parseJobPayload(SEND_OTP_EMAIL_JOB, sendOtpEmailInputSchema, input);
    const payload = parseJobPayload(SEND_OTP_EMAIL_JOB, sendOtpEmailPayloadSchema, {
      email: parsed.email,
      otp: encryptOtp(parsed.otp, parsed.email, encryptionKey),
      expiresAt: parsed.expiresAt.toISOString(),
    });
    return queue.add(SEND_OTP_EMAIL_JOB, payload, jobOptions);
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
});
