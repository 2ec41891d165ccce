/**
 * The PostgreSQL audit store (slonik). Writes are idempotent by id; reads are index scans in the
 * order `created_at desc, id desc`; counts are exact up to a limit, then the planner's estimate,
 * so every read stays bounded however large the table grows.
 */
import type { DatabasePool } from 'slonik';
import { AuditTelemetry, type AuditTelemetryOptions } from './audit-telemetry.js';
import { buildCursorPage } from './cursor-page.js';
import { withAuditErrors } from './database-errors.js';
import { AuditConfigError } from './errors.js';
import { normalizeAuditEvent, type AuditEventInput } from './event-input.js';
import { buildNumberedPage, type MatchCount } from './numbered-page.js';
import {
  cappedCountQuery,
  cursorQuery,
  estimateQuery,
  insertQuery,
  pageQuery,
  tableIdentifier,
} from './postgres-queries.js';
import {
  MAX_PAGE_WINDOW,
  normalizeCursorQuery,
  normalizePageQuery,
  type AuditCursorQuery,
  type AuditPageQuery,
  type NormalizedFilters,
} from './query-input.js';
import { RESULT_PARSER_INTERCEPTOR_NAME } from './result-parser-interceptor.js';
import type { AuditCursorPage, AuditPage, AuditStore, AuditWriteResult } from './store.js';

/** Options of {@link createPostgresAuditStore}. */
export interface PostgresAuditStoreOptions extends AuditTelemetryOptions {
  /** A pool from {@link createAuditPool}, or your own with {@link createResultParserInterceptor} installed. */
  readonly pool: DatabasePool;
  /** The schema holding `audit_log` (the one `runMigrations` used). Default: the connection's `search_path`. */
  readonly schema?: string | undefined;
  /**
   * `queryPage` counts the matching rows exactly up to this many; beyond, `count` is the planner's
   * estimate and `countIsEstimate` is `true`. Counting costs in proportion to the rows counted
   * (about 2 ms per 10 000 on an index), so the limit bounds it. Default {@link DEFAULT_EXACT_COUNT_LIMIT}.
   */
  readonly exactCountLimit?: number | undefined;
}

/**
 * The default {@link PostgresAuditStoreOptions.exactCountLimit}: as far as page numbers reach.
 *
 * @example
 * ```ts
 * const { count, countIsEstimate } = await store.queryPage();
 * // countIsEstimate === count > DEFAULT_EXACT_COUNT_LIMIT (with the default limit)
 * ```
 */
export const DEFAULT_EXACT_COUNT_LIMIT = MAX_PAGE_WINDOW;

/**
 * Creates the PostgreSQL {@link AuditStore}. Run {@link runMigrations} first.
 *
 * @param options - See {@link PostgresAuditStoreOptions}.
 * @returns The store; it does not own the pool (end the pool yourself).
 * @throws AuditConfigError when the pool lacks the result-parser interceptor, or
 *   `exactCountLimit` is not a whole number ≥ 0.
 * @example
 * ```ts
 * const pool = await createAuditPool({ databaseUrl: process.env.DATABASE_URL! });
 * const store = createPostgresAuditStore({ pool });
 * const { inserted } = await store.write({
 *   id: randomUUID(), event: 'OTP_VERIFIED', email: 'a@example.com', ip: '203.0.113.7',
 *   occurredAt: new Date(),
 * });
 * ```
 */
export function createPostgresAuditStore(options: PostgresAuditStoreOptions): AuditStore {
  const { pool } = options;
  if (!pool.configuration.interceptors.some((i) => i.name === RESULT_PARSER_INTERCEPTOR_NAME)) {
    throw new AuditConfigError(
      'The slonik pool has no result-parser interceptor: create it with createAuditPool() or add createResultParserInterceptor().',
    );
  }
  const table = tableIdentifier(options.schema);
  const countLimit = options.exactCountLimit ?? DEFAULT_EXACT_COUNT_LIMIT;
  if (!Number.isSafeInteger(countLimit) || countLimit < 0) {
    throw new AuditConfigError('exactCountLimit must be a whole number ≥ 0.');
  }

  async function countMatches(filters: NormalizedFilters): Promise<MatchCount> {
    const { count } = await pool.one(cappedCountQuery(table, filters, countLimit));
    if (count <= countLimit) return { value: count, isEstimate: false };
    const [plan] = (await pool.one(estimateQuery(table, filters)))['QUERY PLAN'];
    return { value: Math.max(Math.round(plan.Plan['Plan Rows']), countLimit + 1), isEstimate: true };
  }

  const telemetry = AuditTelemetry.create(options);
  const store = postgresStore(pool, table, countMatches);
  if (telemetry === undefined) return store;
  return {
    write: (input) =>
      telemetry.write((input as { event?: unknown } | undefined)?.event, () => store.write(input)),
    queryPage: (input) => telemetry.query('queryPage', () => store.queryPage(input)),
    queryCursor: (input) => telemetry.query('queryCursor', () => store.queryCursor(input)),
  };
}

function postgresStore(
  pool: DatabasePool,
  table: ReturnType<typeof tableIdentifier>,
  countMatches: (filters: NormalizedFilters) => Promise<MatchCount>,
): AuditStore {
  return {
    async write(input: AuditEventInput): Promise<AuditWriteResult> {
      const event = normalizeAuditEvent(input);
      const row = await withAuditErrors('writing an audit event', () =>
        pool.maybeOne(insertQuery(table, event)),
      );
      return { inserted: row !== null };
    },

    async queryPage(input: AuditPageQuery = {}): Promise<AuditPage> {
      const query = normalizePageQuery(input);
      const offset = (query.page - 1) * query.pageSize;
      const [rows, count] = await withAuditErrors('querying the audit log', () =>
        Promise.all([pool.any(pageQuery(table, query, query.pageSize + 1, offset)), countMatches(query)]),
      );
      return buildNumberedPage(rows, query.page, query.pageSize, count);
    },

    async queryCursor(input: AuditCursorQuery = {}): Promise<AuditCursorPage> {
      const query = normalizeCursorQuery(input);
      const rows = await withAuditErrors('querying the audit log', () =>
        pool.any(cursorQuery(table, query, query.cursor, query.pageSize + 1)),
      );
      return buildCursorPage(rows, query.cursor, query.pageSize);
    },
  };
}
