import { randomUUID } from 'node:crypto';
import { createPool, sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditConfigError,
  AuditDatabaseError,
  AuditDatabaseUnavailableError,
  createAuditPool,
  createPostgresAuditStore,
} from '../src/index.js';
import { createTestDatabase, databaseUrl, randomSchemaName, type TestDatabase } from './support/database.js';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { auditStoreContract } from './support/store-contract.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

auditStoreContract('postgres', {
  fresh: async () => {
    await db.truncate();
    return db.store;
  },
});

describe('PostgreSQL: counts beyond exactCountLimit are estimates', () => {
  const T0 = Date.parse('2026-03-01T12:00:00.000Z');
  // 36 rows: 12 per address, 9 per event, a minute apart.
  async function seed36(): Promise<void> {
    await db.truncate();
    const emails = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
    const events = ['OTP_REQUESTED', 'OTP_VERIFIED', 'OTP_FAILED', 'OTP_LOCKED'];
    await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        db.store.write({
          id: randomUUID(),
          event: events[i % 4]!,
          email: emails[i % 3]!,
          occurredAt: new Date(T0 + i * 60_000),
        }),
      ),
    );
    // A table this small is sampled whole, so the planner's estimates are exact and the test stable.
    await db.pool.query(sql.unsafe`ANALYZE ${sql.identifier([db.schema, 'audit_log'])}`);
  }

  it('exact up to the limit, then the planner estimate flagged countIsEstimate; rows and cursors unchanged', async () => {
    await seed36();
    const store = createPostgresAuditStore({ pool: db.pool, schema: db.schema, exactCountLimit: 10 });
    expect(await store.queryPage({ event: 'OTP_FAILED', pageSize: 5 })).toMatchObject({
      count: 9,
      countIsEstimate: false,
      totalPages: 2,
    });
    const all = await store.queryPage({ pageSize: 5 });
    expect(all).toMatchObject({ count: 36, countIsEstimate: true, totalPages: 8 });
    expect(await store.queryPage({ email: 'bob@example.com', pageSize: 5 })).toMatchObject({
      count: 12,
      countIsEstimate: true,
    });
    const exact = await db.store.queryPage({ pageSize: 5 });
    expect(exact).toMatchObject({ count: 36, countIsEstimate: false });
    expect(all.items).toEqual(exact.items);
    expect(all.nextCursor).toBe(exact.nextCursor);
  });

  it('an estimate is never below the limit + 1, nor below the rows up to the page read', async () => {
    await db.truncate();
    const write = (email: string, i: number) =>
      db.store.write({
        id: randomUUID(),
        event: 'OTP_REQUESTED',
        email,
        occurredAt: new Date(T0 + i * 60_000),
      });
    // Statistics taken when alice had 4 of 12 rows; then 20 more of hers arrive (still one page,
    // so the planner keeps estimating 4 for her).
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => write(i % 3 === 0 ? 'alice@example.com' : 'bob@example.com', i)),
    );
    await db.pool.query(sql.unsafe`ANALYZE ${sql.identifier([db.schema, 'audit_log'])}`);
    await Promise.all(Array.from({ length: 20 }, (_, i) => write('alice@example.com', 100 + i)));
    const store = createPostgresAuditStore({ pool: db.pool, schema: db.schema, exactCountLimit: 3 });
    expect(await store.queryPage({ email: 'alice@example.com', pageSize: 2 })).toMatchObject({
      count: 4, // the planner's 4, which is also the limit + 1
      countIsEstimate: true,
    });
    const last = await store.queryPage({ email: 'alice@example.com', page: 12, pageSize: 2 });
    expect(last).toMatchObject({ count: 24, countIsEstimate: true, totalPages: 12, nextCursor: null });
    expect(last.items).toHaveLength(2);
    expect(await store.queryPage({ email: 'alice@example.com', page: 5, pageSize: 2 })).toMatchObject({
      count: 11, // rows 1–10 read, and an 11th exists
      countIsEstimate: true,
    });
  });

  it('exactCountLimit 0 estimates every non-empty count; an empty result is an exact 0', async () => {
    await seed36();
    const store = createPostgresAuditStore({ pool: db.pool, schema: db.schema, exactCountLimit: 0 });
    expect(await store.queryPage({ event: 'OTP_LOCKED' })).toMatchObject({ count: 9, countIsEstimate: true });
    expect(await store.queryPage({ email: 'nobody@example.com' })).toMatchObject({
      count: 0,
      countIsEstimate: false,
      totalPages: 0,
    });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses exactCountLimit %s with AuditConfigError',
    (exactCountLimit) => {
      expect(() => createPostgresAuditStore({ pool: db.pool, schema: db.schema, exactCountLimit })).toThrow(
        AuditConfigError,
      );
    },
  );
});

describe('PostgreSQL specifics', () => {
  it('keeps microsecond positions: a cursor neither skips nor repeats rows within one millisecond', async () => {
    await db.truncate();
    const table = sql.identifier([db.schema, 'audit_log']);
    // Written by SQL, not by the store: three instants inside the same millisecond.
    await db.pool.query(sql.unsafe`
      INSERT INTO ${table} (id, event, email, created_at)
      SELECT gen_random_uuid(), 'OTP_REQUESTED', 'micro@example.com',
             '2026-03-01T12:00:00.123Z'::timestamptz + (i * interval '1 microsecond')
      FROM generate_series(1, 3) AS i`);
    const seen: string[] = [];
    let page = await db.store.queryCursor({ pageSize: 1 });
    seen.push(...page.items.map((r) => r.id));
    while (page.nextCursor) {
      page = await db.store.queryCursor({ pageSize: 1, cursor: page.nextCursor });
      seen.push(...page.items.map((r) => r.id));
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect((await db.store.queryPage()).items.map((r) => r.createdAt)).toEqual(
      Array(3).fill('2026-03-01T12:00:00.123Z'),
    );
  });

  it('rejects rows that break the event CHECK constraint even when written by SQL', async () => {
    const table = sql.identifier([db.schema, 'audit_log']);
    await expect(
      db.pool.query(
        sql.unsafe`INSERT INTO ${table} (id, event, email, created_at) VALUES (gen_random_uuid(), 'lower_case', 'a@example.com', now())`,
      ),
    ).rejects.toThrow(/check/i);
  });

  it('validates rows with the result-parser interceptor (a pool without it is refused)', async () => {
    const bare = await createPool(databaseUrl);
    try {
      expect(() => createPostgresAuditStore({ pool: bare, schema: db.schema })).toThrow(AuditConfigError);
    } finally {
      await bare.end();
    }
  });

  it('a missing table is an AuditDatabaseError (500), not an unavailable database', async () => {
    const store = createPostgresAuditStore({ pool: db.pool, schema: randomSchemaName() });
    await expect(store.queryPage()).rejects.toBeInstanceOf(AuditDatabaseError);
    await expect(
      store.write({
        id: randomUUID(),
        event: 'OTP_REQUESTED',
        email: 'a@example.com',
        occurredAt: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'ERR_AUDIT_DATABASE', name: 'AuditDatabaseError' });
  });

  it('an unreachable server is AuditDatabaseUnavailableError (503) with the driver error as cause', async () => {
    const port = await freePort();
    const error = await createAuditPool({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/test`,
      connectionTimeoutMs: 1_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditDatabaseUnavailableError);
    expect(error).toMatchObject({
      code: 'ERR_AUDIT_DATABASE_UNAVAILABLE',
      name: 'AuditDatabaseUnavailableError',
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
