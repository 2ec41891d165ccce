import {
  auditJobPayloadSchema,
  WRITE_AUDIT_LOG_JOB,
  type AuditEventInput,
  type AuditJobPayload,
} from '@tses/audit';
import type { JobEncryptionKey } from '../crypto/encryption-key.js';
import { encryptOtp } from '../crypto/otp-cipher.js';
import { SEND_OTP_EMAIL_JOB } from '../job-names.js';
import { sendOtpEmailPayloadSchema, type SendOtpEmailPayload } from '../tasks/send-otp-email.js';
import { parseJobPayload } from '../tasks/task.js';
import { sendOtpEmailInputSchema, type SendOtpEmailInput } from './job-publisher.js';

/**
 * Validates publisher input and turns it into the job payload, encrypting the code. Shared by
 * both publishers so a job queued in Redis and one run in-process carry the same bytes.
 */
export function buildSendOtpEmailPayload(
  input: SendOtpEmailInput,
  key: JobEncryptionKey,
): SendOtpEmailPayload {
  const parsed = parseJobPayload(SEND_OTP_EMAIL_JOB, sendOtpEmailInputSchema, input);
  return parseJobPayload(SEND_OTP_EMAIL_JOB, sendOtpEmailPayloadSchema, {
    email: parsed.email,
    otp: encryptOtp(parsed.otp, parsed.email, key),
    expiresAt: parsed.expiresAt.toISOString(),
  });
}

/**
 * Validates an audit event before it is queued, so a bad event fails in the API, not later.
 * `@tses/audit`'s `parseAuditJobPayload` with the publisher's error (`InvalidJobPayloadError`).
 */
export function buildAuditPayload(event: AuditEventInput): AuditJobPayload {
  return parseJobPayload(WRITE_AUDIT_LOG_JOB, auditJobPayloadSchema, event);
}
