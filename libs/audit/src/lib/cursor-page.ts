/**
 * Turns the rows a keyset read fetched into a cursor page. Both stores fetch `pageSize + 1` rows
 * so "is there another page" needs no count; this module owns that rule so they cannot drift.
 */
import { encodeCursor, type AuditCursor } from './cursor.js';
import type { AuditCursorPage, AuditRecord } from './store.js';

/** A record plus its exact position in the order (PostgreSQL keeps microseconds; JS Dates do not). */
export interface PositionedRecord {
  readonly record: AuditRecord;
  readonly position: string;
}

/**
 * @param rows - For `after` (or no cursor): newest first. For `before`: oldest first, i.e. the
 *   rows nearest the cursor first. At most `pageSize + 1` of them.
 */
export function buildCursorPage(
  rows: readonly PositionedRecord[],
  cursor: AuditCursor | undefined,
  pageSize: number,
): AuditCursorPage {
  const hasMore = rows.length > pageSize;
  const taken = rows.slice(0, pageSize);
  const backward = cursor?.direction === 'before';
  const page = backward ? taken.toReversed() : taken;
  const first = page[0];
  const last = page[page.length - 1];
  const at = (row: PositionedRecord, direction: AuditCursor['direction']) =>
    encodeCursor({ direction, createdAt: row.position, id: row.record.id });

  // Going back, more rows beyond the page are newer ones; going forward, older ones.
  const hasNewer = backward ? hasMore : cursor !== undefined;
  const hasOlder = backward ? true : hasMore;
  return {
    items: page.map((row) => row.record),
    pageSize,
    nextCursor: last && hasOlder ? at(last, 'after') : null,
    previousCursor: first && hasNewer ? at(first, 'before') : null,
  };
}
