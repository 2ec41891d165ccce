/**
 * Field schemas shared by the writer, the job payload and the query, so an address, an event
 * name or an instant is checked the same way wherever it enters.
 */
import { normalizeEmail } from '@tses/otp/email';
import { z } from 'zod';
import { AuditValidationError, type AuditValidationIssue } from './errors.js';

/** The events the OTP flow records. The column accepts any name of the same format. */
export const AUDIT_EVENTS = ['OTP_REQUESTED', 'OTP_VERIFIED', 'OTP_FAILED', 'OTP_LOCKED'] as const;

/** A known event name, or any other `UPPER_SNAKE_CASE` name (the set is open). */
export type AuditEventName = (typeof AUDIT_EVENTS)[number] | (string & {});

// Same rule as the CHECK constraint `audit_log_event_format` in the first migration.
const EVENT_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

export const eventNameSchema = z
  .string({ error: 'Event must be a string.' })
  .regex(EVENT_NAME, 'Event must be UPPER_SNAKE_CASE (A-Z, 0-9, _), at most 64 characters.');

/** An email address, normalised exactly like `@tses/otp` does it. */
export const emailSchema = z.string({ error: 'Email must be a string.' }).transform((value, ctx) => {
  const result = normalizeEmail(value);
  if (result.ok) return result.email;
  ctx.addIssue({ code: 'custom', message: result.message });
  return z.NEVER;
});

/** An ISO 8601 instant that carries its offset (`Z` or `±hh:mm`); becomes a `Date` (ms precision). */
export const instantStringSchema = z
  .string({ error: 'Must be an ISO 8601 date-time string.' })
  .pipe(
    z.iso.datetime({
      offset: true,
      error: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-01-31T09:30:00Z.',
    }),
  )
  .transform((value) => new Date(value));

/** An instant given as a `Date` or as an ISO 8601 string with offset. */
export const instantSchema = z.union([z.date({ error: 'Must be a valid date.' }), instantStringSchema]);

/** A UUID, lower-cased so it sorts the way PostgreSQL's `uuid` type sorts. */
export const uuidSchema = z
  .string({ error: 'Must be a UUID string.' })
  .pipe(z.uuid({ error: 'Must be a UUID.' }))
  .transform((value) => value.toLowerCase());

/**
 * Runs `schema` on `input`; turns a failure into an {@link AuditValidationError} that names the
 * first offending field.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): AuditValidationIssue => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'input',
    message: issue.message,
  }));
  const [first, ...rest] = issues;
  throw new AuditValidationError(first ? [first, ...rest] : [{ field: 'input', message: 'Invalid input.' }]);
}
