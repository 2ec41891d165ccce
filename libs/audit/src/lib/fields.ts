/**
 * Field schemas shared by the writer, the job payload and the query, so an address, an event
 * name or an instant is checked the same way wherever it enters.
 */
import { normalizeEmail } from '@tses/core';
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

/** An email address, normalised by `@tses/core` exactly as `@tses/otp` does it. */
export const emailSchema = z.string({ error: 'Email must be a string.' }).transform((value, ctx) => {
  const result = normalizeEmail(value);
  if (result.ok) return result.email;
  ctx.addIssue({ code: 'custom', message: result.message });
  return z.NEVER;
});

// Instants are limited to the years 0001–9999 because that is what every form an instant takes
// here can carry: RFC 3339 strings (four-digit years, no year 0), `Date#toISOString` (six-digit
// years outside 0000–9999) and PostgreSQL's text input (no year 0000). A wider range would be
// accepted by one form and fail in another (a 500 from PostgreSQL, a job retried forever).
/**
 * The earliest instant the audit log accepts, written or queried: the start of year 0001, UTC.
 * An earlier `from`, `to`, `occurredAt` or cursor position is an `AuditValidationError`.
 *
 * @example
 * ```ts
 * await store.queryPage({ from: EARLIEST_AUDIT_INSTANT }); // every row; '0000-12-31T00:00:00Z' is refused
 * ```
 */
export const EARLIEST_AUDIT_INSTANT = '0001-01-01T00:00:00.000Z';
/**
 * The latest instant the audit log accepts, written or queried: the last millisecond of year 9999, UTC.
 *
 * @example
 * ```ts
 * await store.queryPage({ to: LATEST_AUDIT_INSTANT }); // '9999-12-31T23:59:59-01:00' is refused
 * ```
 */
export const LATEST_AUDIT_INSTANT = '9999-12-31T23:59:59.999Z';

const OUT_OF_RANGE = `Must lie between ${EARLIEST_AUDIT_INSTANT} and ${LATEST_AUDIT_INSTANT}.`;

/** A valid `Date` within {@link EARLIEST_AUDIT_INSTANT}…{@link LATEST_AUDIT_INSTANT} (inclusive). */
const supportedDateSchema = z
  .date({ error: 'Must be a valid date.' })
  .min(new Date(EARLIEST_AUDIT_INSTANT), OUT_OF_RANGE)
  .max(new Date(LATEST_AUDIT_INSTANT), OUT_OF_RANGE);

/** True when `value` parses as an instant within the supported range (for cursor positions). */
export function isSupportedInstant(value: string): boolean {
  return supportedDateSchema.safeParse(new Date(value)).success;
}

const isoInstantSchema = z
  .string({ error: 'Must be an ISO 8601 date-time string.' })
  .pipe(
    z.iso.datetime({
      offset: true,
      error: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-01-31T09:30:00Z.',
    }),
  )
  .transform((value) => new Date(value));

/**
 * An ISO 8601 instant that carries its offset (`Z` or `±hh:mm`), within the supported range;
 * becomes a `Date` (ms precision).
 */
export const instantStringSchema = isoInstantSchema.pipe(supportedDateSchema);

/** An instant given as a `Date` or as an ISO 8601 string with offset, within the supported range. */
export const instantSchema = z
  .union([z.date({ error: 'Must be a valid date.' }), isoInstantSchema])
  .pipe(supportedDateSchema);

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
