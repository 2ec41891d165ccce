// The page-number query of @tses/audit 0.1.0, kept as the benchmark's named baseline: the page by
// plain OFFSET and an exact count(*) of every match, both at once on two pooled connections, as
// 0.1.0's store sent them. Cursor pages are unchanged since 0.1.0, so the baseline for them is the
// library's own queryCursor on 0.1.0's indexes.
import { sql, type DatabasePool, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';

export interface BaselineFilters {
  readonly email?: string;
  readonly event?: string;
  readonly from?: string;
  readonly to?: string;
}

const rowSchema = z.object({
  id: z.string(),
  event: z.string(),
  email: z.string(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  position: z.string(),
});
const countSchema = z.object({ count: z.union([z.bigint(), z.number(), z.string()]).transform(Number) });

/** 0.1.0's `queryPage`: the ids of page `page` and the exact count. */
export function baselineQueryPage(pool: DatabasePool, schema: string) {
  const table = sql.identifier([schema, 'audit_log']);
  const where = (f: BaselineFilters) => {
    const conditions: FragmentSqlToken[] = [];
    if (f.email !== undefined) conditions.push(sql.fragment`email = ${f.email}`);
    if (f.event !== undefined) conditions.push(sql.fragment`event = ${f.event}`);
    if (f.from !== undefined) conditions.push(sql.fragment`created_at >= ${f.from}::timestamptz`);
    if (f.to !== undefined) conditions.push(sql.fragment`created_at <= ${f.to}::timestamptz`);
    return conditions.length === 0 ? sql.fragment`TRUE` : sql.join(conditions, sql.fragment` AND `);
  };
  return async (filters: BaselineFilters, page: number, pageSize: number) => {
    const [rows, { count }] = await Promise.all([
      pool.any(sql.type(rowSchema)`
        SELECT id, event, email, host(ip_address) AS ip_address, user_agent, metadata,
               to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
        FROM ${table} WHERE ${where(filters)}
        ORDER BY created_at DESC, id DESC
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
      pool.one(sql.type(countSchema)`SELECT count(*) AS count FROM ${table} WHERE ${where(filters)}`),
    ]);
    return { ids: rows.map((r) => r.id), count };
  };
}
