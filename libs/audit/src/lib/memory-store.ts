/**
 * The in-memory audit store: the same interface and the same filter, order and pagination rules
 * as the PostgreSQL store, for tests and single-process use. Not shared between processes.
 */
import { buildCursorPage, type PositionedRecord } from './cursor-page.js';
import type { AuditCursor } from './cursor.js';
import { normalizeAuditEvent, type AuditEventInput } from './event-input.js';
import { buildNumberedPage } from './numbered-page.js';
import {
  normalizeCursorQuery,
  normalizePageQuery,
  type AuditCursorQuery,
  type AuditPageQuery,
  type NormalizedFilters,
} from './query-input.js';
import type { AuditCursorPage, AuditPage, AuditRecord, AuditStore, AuditWriteResult } from './store.js';

interface Row {
  readonly time: number;
  readonly record: AuditRecord;
}

// created_at desc, id desc. Lower-case hex UUIDs compare as strings the way PostgreSQL compares uuid.
function compareNewestFirst(a: { time: number; id: string }, b: { time: number; id: string }): number {
  if (a.time !== b.time) return b.time - a.time;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function matches(row: Row, filters: NormalizedFilters): boolean {
  return (
    (filters.email === undefined || row.record.email === filters.email) &&
    (filters.event === undefined || row.record.event === filters.event) &&
    (filters.from === undefined || row.time >= filters.from.getTime()) &&
    (filters.to === undefined || row.time <= filters.to.getTime())
  );
}

const positioned = (row: Row): PositionedRecord => ({
  record: structuredClone(row.record),
  position: row.record.createdAt,
});

/**
 * Creates an empty in-memory {@link AuditStore}.
 *
 * @returns A store whose data lives in this process only.
 * @example
 * ```ts
 * const store = createMemoryAuditStore();
 * await store.write({ id: randomUUID(), event: 'OTP_REQUESTED', email: 'a@example.com', occurredAt: new Date() });
 * const { items, count } = await store.queryPage({ email: 'A@example.com' });
 * ```
 */
export function createMemoryAuditStore(): AuditStore {
  const rows: Row[] = []; // kept sorted newest first
  const ids = new Set<string>();

  function insertSorted(row: Row): void {
    const key = { time: row.time, id: row.record.id };
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = rows[mid] as Row;
      if (compareNewestFirst({ time: other.time, id: other.record.id }, key) < 0) low = mid + 1;
      else high = mid;
    }
    rows.splice(low, 0, row);
  }

  function beyond(row: Row, cursor: AuditCursor): boolean {
    const order = compareNewestFirst(
      { time: row.time, id: row.record.id },
      { time: Date.parse(cursor.createdAt), id: cursor.id },
    );
    return cursor.direction === 'after' ? order > 0 : order < 0;
  }

  return {
    async write(input: AuditEventInput): Promise<AuditWriteResult> {
      const event = normalizeAuditEvent(input);
      if (ids.has(event.id)) return { inserted: false };
      ids.add(event.id);
      insertSorted({
        time: event.occurredAt.getTime(),
        record: {
          id: event.id,
          event: event.event,
          email: event.email,
          ipAddress: event.ip,
          userAgent: event.userAgent,
          metadata: structuredClone(event.metadata),
          createdAt: event.occurredAt.toISOString(),
        },
      });
      return { inserted: true };
    },

    async queryPage(input: AuditPageQuery = {}): Promise<AuditPage> {
      const query = normalizePageQuery(input);
      const matching = rows.filter((row) => matches(row, query));
      const offset = (query.page - 1) * query.pageSize;
      // Counting in memory is cheap at any size: always exact.
      return buildNumberedPage(
        matching.slice(offset, offset + query.pageSize + 1).map(positioned),
        query.page,
        query.pageSize,
        { value: matching.length, isEstimate: false },
      );
    },

    async queryCursor(input: AuditCursorQuery = {}): Promise<AuditCursorPage> {
      const query = normalizeCursorQuery(input);
      const { cursor } = query;
      let matching = rows.filter(
        (row) => matches(row, query) && (cursor === undefined || beyond(row, cursor)),
      );
      if (cursor?.direction === 'before') matching = matching.toReversed();
      return buildCursorPage(matching.slice(0, query.pageSize + 1).map(positioned), cursor, query.pageSize);
    },
  };
}
