/**
 * Turns the rows a page-number read fetched, and the count the store found, into an
 * {@link AuditPage}. Both stores fetch `pageSize + 1` rows so "does a row follow" needs no count;
 * this module owns the page's arithmetic so the stores cannot drift.
 */
import { encodeCursor } from './cursor.js';
import type { PositionedRecord } from './cursor-page.js';
import type { AuditPage } from './store.js';

/** How many rows match: exact, or an estimate known to lie above the exact-count limit. */
export interface MatchCount {
  readonly value: number;
  readonly isEstimate: boolean;
}

/**
 * @param rows - Newest first, starting at the page's offset; at most `pageSize + 1` of them.
 * @param count - The matching rows, as the store counted or estimated them.
 */
export function buildNumberedPage(
  rows: readonly PositionedRecord[],
  page: number,
  pageSize: number,
  count: MatchCount,
): AuditPage {
  const taken = rows.slice(0, pageSize);
  const hasMore = rows.length > pageSize;
  const last = taken[taken.length - 1];
  // An estimate can undershoot; it must not claim fewer rows than this page proves exist.
  const seen = (page - 1) * pageSize + taken.length + (hasMore ? 1 : 0);
  const value = count.isEstimate ? Math.max(count.value, seen) : count.value;
  return {
    items: taken.map((row) => row.record),
    page,
    pageSize,
    count: value,
    countIsEstimate: count.isEstimate,
    totalPages: Math.ceil(value / pageSize),
    nextCursor:
      last && hasMore
        ? encodeCursor({ direction: 'after', createdAt: last.position, id: last.record.id })
        : null,
  };
}
