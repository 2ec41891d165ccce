// The plans PostgreSQL picks for the exact SQL the store sends, on a realistically seeded table
// (200 000 rows, 20 000 addresses with a skewed spread, skewed events, VACUUMed and ANALYZEd as
// autovacuum leaves a table): every filter combination must be an index scan in
// (created_at desc, id desc) order — no Sort node, no Seq Scan, no Bitmap scan — for the page, for
// its bounded count (read from the index alone), for the rows a deep page skips (index alone too)
// and for cursor pages. Planner settings stay at their defaults (enable_seqscan on, random_page_cost 4).
// One honest exception is tested separately: when the planner expects every matching row to fit
// in the page anyway (an address with a handful of rows), it may fetch them with a bitmap scan of
// the email index and sort that handful in memory — cheaper than an ordered scan, and bounded.
import pg from 'pg';
import type { Interceptor, Query } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditCursorQuery, AuditFilters } from '../src/index.js';
import { createTestDatabase, databaseUrl, type TestDatabase } from './support/database.js';
import { seedAuditLog } from './support/seed.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Scan Direction'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

const captured: Query[] = [];
const capture: Interceptor = {
  name: 'capture-sql',
  beforeQueryExecution: (_context, query) => {
    captured.push(query);
    return null;
  },
};

let db: TestDatabase;
let client: InstanceType<typeof pg.Client>;

beforeAll(async () => {
  db = await createTestDatabase({ interceptors: [capture] });
  await seedAuditLog(db.pool, db.schema, { rows: 200_000, emails: 20_000, stableStatistics: true });
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function explain(query: Query): Promise<PlanNode> {
  const result = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) ${query.sql}`,
    [...query.values],
  );
  return result.rows[0]!['QUERY PLAN'][0].Plan;
}

/** Runs `run`, then EXPLAINs the row query it sent (the one with ORDER BY and no count). */
async function planOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
  captured.length = 0;
  await run();
  const query = captured.find((q) => /ORDER BY/.test(q.sql) && !/count\(\*\)|^\s*EXPLAIN/.test(q.sql));
  if (!query) throw new Error('no row query captured');
  return nodes(await explain(query));
}

/** Runs a page query, then EXPLAINs its bounded count. */
async function countPlanOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
  captured.length = 0;
  await run();
  const query = captured.find((q) => /count\(\*\)/.test(q.sql));
  if (!query) throw new Error('no count query captured');
  return nodes(await explain(query));
}

const email = 'user0@example.com'; // hot: ~1 400 rows, ~180 of them OTP_FAILED
const from = '2025-11-10T00:00:00Z'; // the seed spans 2025-11-01 .. 2025-12-06
const to = '2025-11-25T00:00:00Z';
const BY_TIME = 'audit_log_created_at_idx';
const BY_EMAIL = 'audit_log_email_created_at_idx';
const BY_EVENT = 'audit_log_event_created_at_idx';
const BY_EMAIL_EVENT = 'audit_log_email_event_created_at_idx';
// [name, filters, indexes the planner may pick: all return rows in the wanted order]
const cases: [string, AuditFilters, string[]][] = [
  ['none', {}, [BY_TIME]],
  ['from', { from }, [BY_TIME]],
  ['to', { to }, [BY_TIME]],
  ['from + to', { from, to }, [BY_TIME]],
  ['email', { email }, [BY_EMAIL]],
  ['email + from + to', { email, from, to }, [BY_EMAIL]],
  ['email + event', { email, event: 'OTP_FAILED' }, [BY_EMAIL_EVENT]],
  ['email + event + from + to', { email, event: 'OTP_FAILED', from, to }, [BY_EMAIL_EVENT]],
  // Half the rows match: walking the time index and skipping the others is as good.
  ['event (common)', { event: 'OTP_REQUESTED' }, [BY_EVENT, BY_TIME]],
  ['event (rare)', { event: 'OTP_LOCKED' }, [BY_EVENT]],
  ['event + from + to', { event: 'OTP_LOCKED', from, to }, [BY_EVENT]],
];

const isIndexScan = (n: PlanNode) => n['Node Type'] === 'Index Scan' || n['Node Type'] === 'Index Only Scan';

/** Every scan is an ordered index scan on one of `indexes`; returns the main (outermost) one. */
function expectOrderedIndexScan(plan: PlanNode[], indexes: string[]) {
  const types = plan.map((n) => n['Node Type']);
  expect(types).not.toContain('Sort');
  expect(types).not.toContain('Incremental Sort');
  expect(types).not.toContain('Seq Scan');
  expect(types.some((t) => t.startsWith('Bitmap'))).toBe(false);
  const scans = plan.filter(isIndexScan);
  expect(scans.length).toBeGreaterThan(0);
  for (const scan of scans) expect(indexes).toContain(scan['Index Name']);
  return scans.find((n) => n['Parent Relationship'] !== 'InitPlan') as PlanNode;
}

describe('EXPLAIN: every filter combination is an ordered index scan', () => {
  it.each(cases)('page query, filter %s', async (_, filters, index) => {
    expectOrderedIndexScan(await planOf(() => db.store.queryPage({ ...filters, pageSize: 20 })), index);
  });

  it.each(cases)(
    'deep page query (page 50), filter %s: the skipped rows are read from the index alone',
    async (_, filters, index) => {
      const plan = await planOf(() => db.store.queryPage({ ...filters, page: 50, pageSize: 20 }));
      expectOrderedIndexScan(plan, index);
      const skip = plan.find((n) => n['Parent Relationship'] === 'InitPlan');
      expect(nodes(skip as PlanNode).find(isIndexScan)?.['Node Type']).toBe('Index Only Scan');
    },
  );

  it.each(cases)(
    'bounded count, filter %s: the same ordered index, read alone (index only scan)',
    async (_, filters, index) => {
      const plan = await countPlanOf(() => db.store.queryPage({ ...filters, pageSize: 20 }));
      expectOrderedIndexScan(plan, index);
      expect(plan.find(isIndexScan)?.['Node Type']).toBe('Index Only Scan');
    },
  );

  it.each(cases)(
    'cursor query (first page, then forward and back from page 3), filter %s',
    async (_, filters, index) => {
      const query: AuditCursorQuery = { ...filters, pageSize: 20 };
      expectOrderedIndexScan(await planOf(() => db.store.queryCursor(query)), index);
      // Deep enough that both directions have many rows to pass over (ties are the exception above).
      let page = await db.store.queryCursor(query);
      for (let i = 0; i < 2 && page.nextCursor; i++)
        page = await db.store.queryCursor({ ...query, cursor: page.nextCursor });
      if (!page.nextCursor || !page.previousCursor) throw new Error('seed too small for this filter');
      // The cursor is an index condition (the scan seeks to it), not a filter applied while scanning.
      const forward = expectOrderedIndexScan(
        await planOf(() => db.store.queryCursor({ ...query, cursor: page.nextCursor })),
        index,
      );
      expect(forward['Index Cond']).toMatch(/ROW\(created_at, id\) < ROW\(/);
      const backward = expectOrderedIndexScan(
        await planOf(() => db.store.queryCursor({ ...query, cursor: page.previousCursor })),
        index,
      );
      expect(backward['Index Cond']).toMatch(/ROW\(created_at, id\) > ROW\(/);
      expect(backward['Scan Direction']).not.toBe(forward['Scan Direction']);
    },
  );
});

describe('EXPLAIN: an address with fewer rows than a page', () => {
  it('is read through the email index (bitmap or ordered scan); any sort covers only that handful', async () => {
    const cold = 'user19999@example.com';
    for (const run of [
      () => db.store.queryPage({ email: cold, pageSize: 20 }),
      () => db.store.queryCursor({ email: cold, event: 'OTP_REQUESTED', pageSize: 20 }),
    ]) {
      const plan = await planOf(run);
      expect(plan.map((n) => n['Node Type'])).not.toContain('Seq Scan');
      expect([BY_EMAIL, BY_EMAIL_EVENT]).toContain(plan.find((n) => n['Index Name'])?.['Index Name']);
      const sort = plan.find((n) => n['Node Type'] === 'Sort') as
        (PlanNode & { 'Plan Rows': number }) | undefined;
      if (sort) expect(sort['Plan Rows']).toBeLessThanOrEqual(20);
    }
  });
});
