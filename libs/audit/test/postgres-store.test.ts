import { randomUUID } from 'node:crypto';
import { createPool, sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditConfigurationError,
  AuditDatabaseError,
  AuditDatabaseUnavailableError,
  createAuditPool,
  createPostgresAuditStore,
} from '../src/index.js';
import {
  closedPort,
  createTestDatabase,
  databaseUrl,
  randomSchemaName,
  type TestDatabase,
} from './support/database.js';
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
      expect(() => createPostgresAuditStore({ pool: bare, schema: db.schema })).toThrow(
        AuditConfigurationError,
      );
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
    const port = await closedPort();
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
