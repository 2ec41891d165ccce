import type { z } from 'zod';
import { auditJobPayloadSchema, type AuditEventInput, type AuditJobPayload } from '@tses/audit';
import type { JobEncryptionKey } from '../crypto/encryption-key.js';
import { encryptOtp } from '../crypto/otp-cipher.js';
import { InvalidJobPayloadError } from '../errors.js';
import { sendOtpEmailPayloadSchema, type SendOtpEmailPayload } from '../tasks/send-otp-email.js';
import { sendOtpEmailInputSchema, type SendOtpEmailInput } from './job-publisher.js';

/**
 * Validates publisher input and turns it into the job payload, encrypting the code. Shared by
 * both publishers so a job queued in Redis and one run in-process carry the same bytes.
 */
export function buildSendOtpEmailPayload(
  input: SendOtpEmailInput,
  key: JobEncryptionKey,
): SendOtpEmailPayload {
  const parsed = check('send_otp_email', sendOtpEmailInputSchema, input);
  return check('send_otp_email', sendOtpEmailPayloadSchema, {
    email: parsed.email,
    otp: encryptOtp(parsed.otp, parsed.email, key),
    expiresAt: parsed.expiresAt.toISOString(),
  });
}

/** Validates an audit event before it is queued, so a bad event fails in the API, not later. */
export function buildAuditPayload(event: AuditEventInput): AuditJobPayload {
  return check('write_audit_log', auditJobPayloadSchema, event);
}

function check<S extends z.ZodType>(jobName: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidJobPayloadError(
    jobName,
    parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  );
}
