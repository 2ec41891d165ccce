/**
 * The SQL of the PostgreSQL store. Every read is `ORDER BY created_at DESC, id DESC` (or its exact
 * reverse) so one of the indexes of migration 1 serves it without a sort:
 * (created_at, id), (email, created_at, id) and (event, created_at, id).
 */
import { sql, type FragmentSqlToken, type IdentifierSqlToken } from 'slonik';
import { z } from 'zod';
import type { AuditCursor } from './cursor.js';
import type { PositionedRecord } from './cursor-page.js';
import type { NormalizedAuditEvent } from './event-input.js';
import type { NormalizedFilters } from './query-input.js';

/** A row as selected: validated by the result-parser interceptor, then mapped to a record. */
const rowSchema = z
  .object({
    id: z.string(),
    event: z.string(),
    email: z.string(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    position: z.string(),
  })
  .transform((row): PositionedRecord => ({
    record: {
      id: row.id,
      event: row.event,
      email: row.email,
      ipAddress: row.ip_address,
      userAgent: row.user_agent,
      metadata: row.metadata,
      createdAt: new Date(row.position).toISOString(),
    },
    position: row.position,
  }));

// int8 arrives as BigInt with slonik's default type parsers, as a string without them.
const countSchema = z.object({ count: z.union([z.bigint(), z.number(), z.string()]).transform(Number) });
const insertedSchema = z.object({ id: z.string() });

// `position` keeps PostgreSQL's microseconds so a cursor never skips or repeats a row.
const COLUMNS = sql.fragment`
  id, event, email, host(ip_address) AS ip_address, user_agent, metadata,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position`;

export function tableIdentifier(schema: string | undefined): IdentifierSqlToken {
  return sql.identifier(schema === undefined ? ['audit_log'] : [schema, 'audit_log']);
}

function where(filters: NormalizedFilters, extra: FragmentSqlToken[] = []): FragmentSqlToken {
  const conditions: FragmentSqlToken[] = [];
  if (filters.email !== undefined) conditions.push(sql.fragment`email = ${filters.email}`);
  if (filters.event !== undefined) conditions.push(sql.fragment`event = ${filters.event}`);
  if (filters.from) conditions.push(sql.fragment`created_at >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) conditions.push(sql.fragment`created_at <= ${filters.to.toISOString()}::timestamptz`);
  conditions.push(...extra);
  return conditions.length === 0
    ? sql.fragment`TRUE`
    : sql.fragment`${sql.join(conditions, sql.fragment` AND `)}`;
}

export function insertQuery(table: IdentifierSqlToken, event: NormalizedAuditEvent) {
  return sql.type(insertedSchema)`
    INSERT INTO ${table} (id, event, email, ip_address, user_agent, metadata, created_at)
    VALUES (${event.id}::uuid, ${event.event}, ${event.email}, ${event.ip}::inet, ${event.userAgent},
            ${sql.jsonb(event.metadata as Record<string, never>)}, ${event.occurredAt.toISOString()}::timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
}

const NEWEST_FIRST = sql.fragment`ORDER BY created_at DESC, id DESC`;

/**
 * Rows `offset …` of the matches, newest first. A plain OFFSET would fetch every skipped row from
 * the table; here a subquery skips them reading `(created_at, id)` from the index alone (every
 * index ends with both), and only the page's rows are fetched, from the position it found.
 */
export function pageQuery(
  table: IdentifierSqlToken,
  filters: NormalizedFilters,
  limit: number,
  offset: number,
) {
  const start =
    offset === 0
      ? []
      : [
          sql.fragment`(created_at, id) <= (
            SELECT created_at, id FROM ${table} WHERE ${where(filters)}
            ${NEWEST_FIRST} OFFSET ${offset} LIMIT 1)`,
        ];
  return sql.type(rowSchema)`
    SELECT ${COLUMNS} FROM ${table}
    WHERE ${where(filters, start)}
    ${NEWEST_FIRST}
    LIMIT ${limit}`;
}

/**
 * The matches, counted up to `cap` + 1 and no further: the answer is exact when it is at most
 * `cap`, and the work stays bounded however many rows match. The order is the page order on
 * purpose: it makes the planner read the same ordered index as the page (every filter combination
 * has one whose conditions cover it) and stop after `cap` + 1 entries. Unordered, it may pick a
 * sequential scan that expects matches early in the table, while `from` matches lie at its end.
 */
export function cappedCountQuery(table: IdentifierSqlToken, filters: NormalizedFilters, cap: number) {
  return sql.type(countSchema)`
    SELECT count(*) AS count
    FROM (SELECT 1 FROM ${table} WHERE ${where(filters)} ${NEWEST_FIRST} LIMIT ${cap + 1}) AS capped`;
}

const planSchema = z.object({
  'QUERY PLAN': z.tuple([z.object({ Plan: z.object({ 'Plan Rows': z.number() }) })]),
});

/**
 * The planner's estimate of the matches (`EXPLAIN`, nothing executed): from the table's
 * statistics (ANALYZE, autovacuum), about a millisecond at any size.
 */
export function estimateQuery(table: IdentifierSqlToken, filters: NormalizedFilters) {
  return sql.type(planSchema)`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table} WHERE ${where(filters)}`;
}

export function cursorQuery(
  table: IdentifierSqlToken,
  filters: NormalizedFilters,
  cursor: AuditCursor | undefined,
  limit: number,
) {
  const seek: FragmentSqlToken[] = [];
  if (cursor !== undefined) {
    const position = sql.fragment`(${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
    // A row comparison is one index condition on (…, created_at, id): the scan starts at the cursor.
    seek.push(
      cursor.direction === 'after'
        ? sql.fragment`(created_at, id) < ${position}`
        : sql.fragment`(created_at, id) > ${position}`,
    );
  }
  // "Before" reads the same index backwards (nearest the cursor first); buildCursorPage re-reverses.
  const order =
    cursor?.direction === 'before'
      ? sql.fragment`created_at ASC, id ASC`
      : sql.fragment`created_at DESC, id DESC`;
  return sql.type(rowSchema)`
    SELECT ${COLUMNS} FROM ${table} WHERE ${where(filters, seek)}
    ORDER BY ${order} LIMIT ${limit}`;
}
