import { z } from 'zod';
import type { AuditEventInput } from '@tses/audit';

/**
 * What the API needs from the job system, whatever runs the jobs (BullMQ or in-process).
 * Every method returns once the job is accepted, never after it ran.
 *
 * @example
 * ```ts
 * await jobs.sendOtpEmail({ email, otp: result.code, expiresAt: result.expiresAt });
 * await jobs.writeAuditLog({ id: randomUUID(), event: 'OTP_REQUESTED', email, occurredAt: new Date() });
 * ```
 */
export interface JobPublisher {
  /**
   * Queues the sign-in code email. The code is encrypted before it leaves the process.
   *
   * @throws `InvalidJobPayloadError` for bad input; `QueueUnavailableError` when the backend
   *   cannot take the job now; `PublisherClosedError` after `close()`.
   */
  sendOtpEmail(input: SendOtpEmailInput): Promise<void>;
  /**
   * Queues an audit write, deduplicated by `event.id` while the job exists.
   *
   * @throws as `sendOtpEmail`.
   */
  writeAuditLog(event: AuditEventInput): Promise<void>;
  /** Stops accepting jobs and releases resources (the in-process runner drains first, bounded). */
  close(): Promise<void>;
}

/** Input of {@link JobPublisher.sendOtpEmail}: the plain code, as `@tses/otp` returns it. */
export const sendOtpEmailInputSchema = z.strictObject({
  email: z.string().min(3).max(320),
  otp: z.string().min(1).max(64),
  expiresAt: z.date(),
});

/** Input of {@link JobPublisher.sendOtpEmail}. */
export type SendOtpEmailInput = z.infer<typeof sendOtpEmailInputSchema>;
