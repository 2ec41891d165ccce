/**
 * Keyset cursors: an opaque base64url token for a position in the order
 * `created_at desc, id desc`, plus the direction to read from it.
 */
import { z } from 'zod';
import { AuditValidationError } from './errors.js';
import { isSupportedInstant } from './fields.js';

/** A decoded cursor. */
export interface AuditCursor {
  /** `after`: the rows older than the position (next page); `before`: the newer ones (previous). */
  readonly direction: 'after' | 'before';
  /** The position's `created_at` as an exact ISO 8601 UTC string (microseconds from PostgreSQL). */
  readonly createdAt: string;
  /** The position's id (tie-break for equal timestamps). */
  readonly id: string;
}

const MAX_CURSOR_LENGTH = 256;

const payloadSchema = z.object({
  v: z.literal(1),
  d: z.enum(['a', 'b']),
  // Cursors are opaque but not trusted: a forged position must fail here, not in PostgreSQL.
  t: z.iso.datetime({ offset: true }).refine(isSupportedInstant),
  i: z.uuid(),
});

/** Encodes a cursor as base64url JSON; clients must treat it as opaque. */
export function encodeCursor(cursor: AuditCursor): string {
  const payload = { v: 1, d: cursor.direction === 'after' ? 'a' : 'b', t: cursor.createdAt, i: cursor.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}.
 *
 * @throws AuditValidationError (field `cursor`) when the token is not one of ours.
 */
export function decodeCursor(token: string): AuditCursor {
  const invalid = () =>
    new AuditValidationError([
      { field: 'cursor', message: 'Cursor is invalid; use a cursor from a previous page.' },
    ]);
  if (token.length === 0 || token.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))
    throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw invalid();
  return {
    direction: parsed.data.d === 'a' ? 'after' : 'before',
    createdAt: parsed.data.t,
    id: parsed.data.i.toLowerCase(),
  };
}
