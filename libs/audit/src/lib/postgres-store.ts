/**
 * The PostgreSQL audit store (slonik). Writes are idempotent by id; reads are index scans in the
 * order `created_at desc, id desc`.
 */
import type { DatabasePool } from 'slonik';
import { buildCursorPage } from './cursor-page.js';
import { withAuditErrors } from './database-errors.js';
import { AuditConfigurationError } from './errors.js';
import { normalizeAuditEvent, type AuditEventInput } from './event-input.js';
import { countQuery, cursorQuery, insertQuery, pageQuery, tableIdentifier } from './postgres-queries.js';
import {
  normalizeCursorQuery,
  normalizePageQuery,
  type AuditCursorQuery,
  type AuditPageQuery,
} from './query-input.js';
import { RESULT_PARSER_INTERCEPTOR_NAME } from './result-parser-interceptor.js';
import type { AuditCursorPage, AuditPage, AuditStore, AuditWriteResult } from './store.js';

/** Options of {@link createPostgresAuditStore}. */
export interface PostgresAuditStoreOptions {
  /** A pool from {@link createAuditPool}, or your own with {@link createResultParserInterceptor} installed. */
  readonly pool: DatabasePool;
  /** The schema holding `audit_log` (the one `runMigrations` used). Default: the connection's `search_path`. */
  readonly schema?: string | undefined;
}

/**
 * Creates the PostgreSQL {@link AuditStore}. Run {@link runMigrations} first.
 *
 * @param options - See {@link PostgresAuditStoreOptions}.
 * @returns The store; it does not own the pool (end the pool yourself).
 * @throws AuditConfigurationError when the pool lacks the result-parser interceptor.
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
    throw new AuditConfigurationError(
      'The slonik pool has no result-parser interceptor: create it with createAuditPool() or add createResultParserInterceptor().',
    );
  }
  const table = tableIdentifier(options.schema);

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
      const [rows, { count }] = await withAuditErrors('querying the audit log', () =>
        Promise.all([
          pool.any(pageQuery(table, query, query.pageSize, offset)),
          pool.one(countQuery(table, query)),
        ]),
      );
      return {
        items: rows.map((row) => row.record),
        page: query.page,
        pageSize: query.pageSize,
        count,
        totalPages: Math.ceil(count / query.pageSize),
      };
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
