// Query latency on one million rows: `npm run bench` (tsx --conditions=@tses/source bench/query.bench.ts).
// Seeds its own schema with INSERT … SELECT generate_series, ANALYZEs, times each query (median of
// RUNS after one warm-up), prints EXPLAIN ANALYZE for the key shapes, and drops the schema.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'slonik';
import { z } from 'zod';
import { createAuditPool, createPostgresAuditStore, runMigrations, type AuditFilters } from '../src/index.js';
import { encodeCursor } from '../src/lib/cursor.js';
import { dropSchema, databaseUrl, randomSchemaName } from '../test/support/database.js';
import { seedAuditLog } from '../test/support/seed.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const RUNS = 7;
const PAGE_SIZE = 100;
const DEEP_PAGE = Math.floor(ROWS / PAGE_SIZE); // the last full page: 10 000 for one million rows

const schema = randomSchemaName();
const pool = await createAuditPool({ databaseUrl, statementTimeoutMs: 600_000 });
const store = createPostgresAuditStore({ pool, schema });

async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.toSorted((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

const rows: [string, string][] = [];
async function measure(label: string, run: () => Promise<unknown>) {
  const ms = await median(run);
  rows.push([label, `${ms.toFixed(2)} ms`]);
}

async function explain(label: string, query: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${query}`,
    );
    console.log(`\n-- ${label}\n${result.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  } finally {
    await client.end();
  }
}

try {
  const seedStart = performance.now();
  await runMigrations({ databaseUrl, schema });
  await seedAuditLog(pool, schema, { rows: ROWS, emails: 10_000 });
  console.log(
    `seeded ${ROWS.toLocaleString('en')} rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (schema ${schema})`,
  );

  // The row at the start of the deep page, for an equivalent keyset cursor.
  const table = sql.identifier([schema, 'audit_log']);
  const anchor = await pool.one(sql.type(z.object({ id: z.string(), position: z.string() }))`
    SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
    FROM ${table} ORDER BY created_at DESC, id DESC OFFSET ${(DEEP_PAGE - 1) * PAGE_SIZE - 1} LIMIT 1`);
  const deepCursor = encodeCursor({ direction: 'after', createdAt: anchor.position, id: anchor.id });

  const offsetDeep = await store.queryPage({ page: DEEP_PAGE, pageSize: PAGE_SIZE });
  const cursorDeep = await store.queryCursor({ cursor: deepCursor, pageSize: PAGE_SIZE });
  if (JSON.stringify(offsetDeep.items) !== JSON.stringify(cursorDeep.items))
    throw new Error('deep pages differ');

  await measure(`page 1 (cursor, no count)`, () => store.queryCursor({ pageSize: PAGE_SIZE }));
  await measure(`page 1 (page number, + count of all rows)`, () => store.queryPage({ pageSize: PAGE_SIZE }));
  await measure(`page ${DEEP_PAGE.toLocaleString('en')} by offset (+ count)`, () =>
    store.queryPage({ page: DEEP_PAGE, pageSize: PAGE_SIZE }),
  );
  await measure(`page ${DEEP_PAGE.toLocaleString('en')} by cursor`, () =>
    store.queryCursor({ cursor: deepCursor, pageSize: PAGE_SIZE }),
  );

  const from = '2025-12-01T00:00:00Z';
  const to = '2025-12-08T00:00:00Z';
  const filters: [string, AuditFilters][] = [
    ['email (hot address)', { email: 'user0@example.com' }],
    ['email (typical address)', { email: 'user5000@example.com' }],
    ['event OTP_LOCKED (2 %)', { event: 'OTP_LOCKED' }],
    ['event OTP_REQUESTED (50 %)', { event: 'OTP_REQUESTED' }],
    ['from + to (one week)', { from, to }],
    ['email + event', { email: 'user0@example.com', event: 'OTP_FAILED' }],
    ['event + from + to', { event: 'OTP_FAILED', from, to }],
    ['email + event + from + to', { email: 'user0@example.com', event: 'OTP_FAILED', from, to }],
  ];
  for (const [label, f] of filters) {
    await measure(`${label}: cursor page 1`, () => store.queryCursor({ ...f, pageSize: PAGE_SIZE }));
    await measure(`${label}: page 1 + count`, () => store.queryPage({ ...f, pageSize: PAGE_SIZE }));
  }

  const width = Math.max(...rows.map(([l]) => l.length));
  console.log(`\nmedian of ${RUNS} runs, page size ${PAGE_SIZE}, ${ROWS.toLocaleString('en')} rows`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(11)}`);

  const cols = `id, created_at`;
  const order = `ORDER BY created_at DESC, id DESC LIMIT ${PAGE_SIZE + 1}`;
  await explain('page 1', `SELECT ${cols} FROM ${schema}.audit_log ${order}`);
  await explain(
    `page ${DEEP_PAGE} by offset`,
    `SELECT ${cols} FROM ${schema}.audit_log ORDER BY created_at DESC, id DESC LIMIT ${PAGE_SIZE} OFFSET ${(DEEP_PAGE - 1) * PAGE_SIZE}`,
  );
  await explain(
    `page ${DEEP_PAGE} by cursor`,
    `SELECT ${cols} FROM ${schema}.audit_log WHERE (created_at, id) < ('${anchor.position}'::timestamptz, '${anchor.id}'::uuid) ${order}`,
  );
  await explain(
    'email + event',
    `SELECT ${cols} FROM ${schema}.audit_log WHERE email = 'user0@example.com' AND event = 'OTP_FAILED' ${order}`,
  );
  await explain(
    'event + from + to',
    `SELECT ${cols} FROM ${schema}.audit_log WHERE event = 'OTP_FAILED' AND created_at >= '${from}' AND created_at <= '${to}' ${order}`,
  );
} finally {
  await dropSchema(pool, schema);
  await pool.end();
}
