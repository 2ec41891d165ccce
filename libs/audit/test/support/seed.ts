// Realistic bulk data for plans and the benchmark: INSERT … SELECT generate_series, no round trips.
// Events are skewed (half OTP_REQUESTED, 2 % OTP_LOCKED); addresses too (a square law: user0 is a
// hot address with ~0.7 % of all rows, most addresses have a handful); every two consecutive rows
// share a timestamp so the id tie-break is exercised.
import { sql, type DatabasePool } from 'slonik';

export const SEED_START = '2025-11-01T00:00:00Z';
export const SEED_STEP_SECONDS = 30;

export async function seedAuditLog(
  pool: DatabasePool,
  schema: string,
  options: {
    rows: number;
    emails: number;
    /** Sequence number of the first row (default 1): a later call extends the same timeline. */
    firstRow?: number;
    /** Sample up to 300 000 rows for statistics, so plans are the same on every run (tests). */
    stableStatistics?: boolean;
  },
): Promise<void> {
  const first = options.firstRow ?? 1;
  const table = sql.identifier([schema, 'audit_log']);
  await pool.transaction(async (t) => {
    await t.query(sql.unsafe`SET LOCAL statement_timeout = 0`);
    await t.query(sql.unsafe`
    INSERT INTO ${table} (id, event, email, ip_address, user_agent, metadata, created_at)
    SELECT gen_random_uuid(),
           CASE WHEN h < 50 THEN 'OTP_REQUESTED' WHEN h < 85 THEN 'OTP_VERIFIED'
                WHEN h < 98 THEN 'OTP_FAILED' ELSE 'OTP_LOCKED' END,
           'user' || floor(${options.emails} * power((abs(hashint8(i::int8 * 7919)::int8) % 1000000) / 1e6::float8, 2))::int
             || '@example.com',
           ('10.' || (i % 256) || '.' || ((i / 256) % 256) || '.7')::inet,
           'Mozilla/5.0 (seed)',
           jsonb_build_object('seq', i),
           ${SEED_START}::timestamptz + ((i / 2) * ${SEED_STEP_SECONDS}) * interval '1 second'
    FROM (SELECT i, abs(hashint4(i::int4)::int8) % 100 AS h FROM generate_series(${first}::int8, ${first + options.rows - 1}::int8) AS i) AS s`);
  });
  // ANALYZE samples 300 × statistics-target rows at random; a target of 1000 samples up to
  // 300 000 rows, the whole EXPLAIN seed, so its statistics (and the plans the test asserts) are
  // the same on every run. The benchmark keeps PostgreSQL's default, as production does.
  if (options.stableStatistics) {
    for (const column of ['email', 'event', 'created_at']) {
      await pool.query(
        sql.unsafe`ALTER TABLE ${table} ALTER COLUMN ${sql.identifier([column])} SET STATISTICS 1000`,
      );
    }
  }
  // VACUUM as autovacuum does after bulk inserts: it marks the pages all-visible, which is what
  // lets counts and skipped rows be read from an index alone (index-only scans).
  await pool.query(sql.unsafe`VACUUM (ANALYZE) ${table}`);
}
