/**
 * What a caller hands to `write()`: one event, with the caller's own id and the instant it
 * happened. The same shape (with `occurredAt` as a string) is the BullMQ job payload.
 */
import { z } from 'zod';
import {
  emailSchema,
  eventNameSchema,
  instantSchema,
  parseOrThrow,
  uuidSchema,
  type AuditEventName,
} from './fields.js';

/** One audit event to record. */
export interface AuditEventInput {
  /** The event's own UUID; also the BullMQ job id. A second write with this id is a no-op. */
  readonly id: string;
  /** `OTP_REQUESTED`, `OTP_VERIFIED`, `OTP_FAILED`, `OTP_LOCKED` or another `UPPER_SNAKE_CASE` name. */
  readonly event: AuditEventName;
  /** The address as typed; stored normalised (trim, NFKC, lower case) by `@tses/core`, as `@tses/otp` does. */
  readonly email: string;
  /** The client's IPv4 or IPv6 address, when known. */
  readonly ip?: string | null | undefined;
  /** The client's `User-Agent` header, when known. */
  readonly userAgent?: string | null | undefined;
  /** Any JSON object (never secrets: job data sits in Redis in plain text). Defaults to `{}`. */
  readonly metadata?: Readonly<Record<string, unknown>> | null | undefined;
  /** When the event happened (not when it is written): a `Date` or ISO 8601 string with offset. */
  readonly occurredAt: Date | string;
}

/** An {@link AuditEventInput} after validation and normalisation. */
export interface NormalizedAuditEvent {
  readonly id: string;
  readonly event: string;
  readonly email: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly metadata: Record<string, unknown>;
  readonly occurredAt: Date;
}

const ipSchema = z.union([z.ipv4(), z.ipv6()], { error: 'Must be an IPv4 or IPv6 address.' });

export const auditEventInputSchema = z.object({
  id: uuidSchema,
  event: eventNameSchema,
  email: emailSchema,
  ip: ipSchema.nullish().transform((v) => v ?? null),
  userAgent: z
    .string({ error: 'User agent must be a string.' })
    .nullish()
    .transform((v) => v ?? null),
  metadata: z
    .record(z.string(), z.json(), { error: 'Metadata must be a JSON object.' })
    .nullish()
    .transform((v): Record<string, unknown> => v ?? {}),
  occurredAt: instantSchema,
});

/** Validates and normalises an event; throws `AuditValidationError` naming the field at fault. */
export function normalizeAuditEvent(input: AuditEventInput): NormalizedAuditEvent {
  return parseOrThrow(auditEventInputSchema, input);
}
