/**
 * The store interface both back ends implement (PostgreSQL and in-memory), and what they return.
 */
import type { AuditEventInput } from './event-input.js';
import type { AuditCursorQuery, AuditPageQuery } from './query-input.js';

/** One stored audit event; every field is JSON-safe. */
export interface AuditRecord {
  readonly id: string;
  readonly event: string;
  /** Normalised address. */
  readonly email: string;
  /** PostgreSQL `inet` text form, or `null`. */
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly metadata: Record<string, unknown>;
  /** When the event happened, as an ISO 8601 UTC string with milliseconds (`2026-01-31T09:30:00.000Z`). */
  readonly createdAt: string;
}

/** The result of a write. */
export interface AuditWriteResult {
  /** `false` when a row with this id already existed (a retried or duplicated job). */
  readonly inserted: boolean;
}

/** A page by number, with the count of matching rows. */
export interface AuditPage {
  readonly items: readonly AuditRecord[];
  readonly page: number;
  readonly pageSize: number;
  /**
   * Rows matching the filters (all pages), a JavaScript number. Exact up to the store's exact-count
   * limit (10 000 by default); beyond it, an estimate ({@link AuditPage.countIsEstimate}), never
   * lower than the limit + 1 nor than the rows up to this page.
   */
  readonly count: number;
  /** `true` when {@link AuditPage.count} is an estimate rather than an exact count. */
  readonly countIsEstimate: boolean;
  /** `ceil(count / pageSize)`; 0 when nothing matches; an estimate when `count` is one. */
  readonly totalPages: number;
  /**
   * Pass to `queryCursor` (with the same filters) for the rows after this page, e.g. to go on
   * beyond the page-number window (`MAX_PAGE_WINDOW`); `null` when no row follows.
   */
  readonly nextCursor: string | null;
}

/** A page by cursor (keyset pagination): no count, constant cost however deep. */
export interface AuditCursorPage {
  readonly items: readonly AuditRecord[];
  readonly pageSize: number;
  /** Pass back as `cursor` for the older rows; `null` on the last page. */
  readonly nextCursor: string | null;
  /** Pass back as `cursor` for the newer rows; `null` on the first page. */
  readonly previousCursor: string | null;
}

/**
 * The audit log: an idempotent writer and a filtered, newest-first reader
 * (`created_at desc, id desc`). Implemented by {@link createPostgresAuditStore} and
 * {@link createMemoryAuditStore} with identical semantics.
 */
export interface AuditStore {
  /**
   * Records one event with the caller's id; a second write with the same id does nothing.
   * @throws AuditValidationError for a bad event; AuditDatabaseUnavailableError when PostgreSQL is down.
   */
  write(event: AuditEventInput): Promise<AuditWriteResult>;
  /**
   * Page `page` (from 1) of the matching events, with their count (exact up to a limit, then an
   * estimate). Page numbers reach the first `MAX_PAGE_WINDOW` rows; read beyond with cursors.
   * @throws AuditValidationError naming the bad field (`page` beyond the window).
   */
  queryPage(query?: AuditPageQuery): Promise<AuditPage>;
  /**
   * The page after (or before) `cursor`, or the first page.
   * @throws AuditValidationError naming the bad field (including a foreign `cursor`).
   */
  queryCursor(query?: AuditCursorQuery): Promise<AuditCursorPage>;
}
