import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditDatabaseUnavailableError,
  auditMigrationsDir,
  createAuditPool,
  runMigrations,
} from '../src/index.js';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { databaseUrl, dropSchema, randomSchemaName } from './support/database.js';

const AUDIT_MIGRATIONS = ['1793491200000_audit_create-audit-log', '1796601600000_audit_email-event-index'];
// Newer than every audit migration, as an app's own migrations are once it has adopted them.
const APP_MIGRATION = '1796688000000_app_create-users';
const schemas: string[] = [];
let pool: DatabasePool;
let appDir: string;

function newSchema(): string {
  const schema = randomSchemaName();
  schemas.push(schema);
  return schema;
}

async function history(schema: string): Promise<string[]> {
  const rows = await pool.any(
    sql.type(
      z.object({ name: z.string() }),
    )`SELECT name FROM ${sql.identifier([schema, 'pgmigrations'])} ORDER BY id`,
  );
  return rows.map((r) => r.name);
}

async function tables(schema: string): Promise<string[]> {
  const rows = await pool.any(
    sql.type(z.object({ table_name: z.string() }))`
      SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

beforeAll(async () => {
  pool = await createAuditPool({ databaseUrl });
  // A folder name with glob metacharacters: it must be taken literally.
  appDir = await mkdtemp(path.join(tmpdir(), 'tses app (migrations) ['));
  await writeFile(
    path.join(appDir, `${APP_MIGRATION}.sql`),
    '-- Up Migration\nCREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL UNIQUE);\n-- Down Migration\nDROP TABLE users;\n',
  );
});

afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool?.end();
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('ships its SQL in auditMigrationsDir', () => {
    expect(path.basename(auditMigrationsDir)).toBe('migrations');
  });

  it('applies once; a second run applies nothing', async () => {
    const schema = newSchema();
    expect(await runMigrations({ databaseUrl, schema })).toEqual({ applied: AUDIT_MIGRATIONS });
    expect(await runMigrations({ databaseUrl, schema })).toEqual({ applied: [] });
    expect(await history(schema)).toEqual(AUDIT_MIGRATIONS);
    expect(await tables(schema)).toEqual(['audit_log', 'pgmigrations']);
  });

  it('two processes at once: one applies, the other waits on the advisory lock and applies nothing', async () => {
    const schema = newSchema();
    const results = await Promise.all([
      runMigrations({ databaseUrl, schema }),
      runMigrations({ databaseUrl, schema }),
    ]);
    expect(results.map((r) => r.applied).toSorted((a, b) => a.length - b.length)).toEqual([
      [],
      AUDIT_MIGRATIONS,
    ]);
    expect(await history(schema)).toEqual(AUDIT_MIGRATIONS);
  });

  it("merges the app's own folder into the same history, ordered by timestamp prefix", async () => {
    const schema = newSchema();
    const dirs = [auditMigrationsDir, appDir];
    const runs = await Promise.all([1, 2, 3].map(() => runMigrations({ databaseUrl, schema, dirs })));
    expect(runs.flatMap((r) => r.applied)).toEqual([...AUDIT_MIGRATIONS, APP_MIGRATION]);
    expect(await runMigrations({ databaseUrl, schema, dirs })).toEqual({ applied: [] });
    expect(await history(schema)).toEqual([...AUDIT_MIGRATIONS, APP_MIGRATION]);
    expect(await tables(schema)).toEqual(['audit_log', 'pgmigrations', 'users']);
  });

  it('adding the app folder later applies only the new migration', async () => {
    const schema = newSchema();
    await runMigrations({ databaseUrl, schema });
    expect(await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir, appDir] })).toEqual({
      applied: [APP_MIGRATION],
    });
  });

  it('creates the indexes every filter combination needs', async () => {
    const schema = newSchema();
    await runMigrations({ databaseUrl, schema });
    const rows = await pool.any(
      sql.type(z.object({ indexdef: z.string() }))`
        SELECT indexdef FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'audit_log' ORDER BY indexname`,
    );
    const defs = rows.map((r) => r.indexdef.replace(/^.* USING /, ''));
    expect(defs).toEqual([
      'btree (created_at DESC, id DESC)',
      'btree (email, created_at DESC, id DESC)',
      'btree (email, event, created_at DESC, id DESC)',
      'btree (event, created_at DESC, id DESC)',
      'btree (id)',
    ]);
  });

  it('upgrading a 0.1.0 table whose new index was built CONCURRENTLY beforehand applies only the history entry', async () => {
    const schema = newSchema();
    const first = await mkdtemp(path.join(tmpdir(), 'tses audit 0.1.0 '));
    try {
      await copyFile(
        path.join(auditMigrationsDir, `${AUDIT_MIGRATIONS[0]}.sql`),
        path.join(first, `${AUDIT_MIGRATIONS[0]}.sql`),
      );
      await runMigrations({ databaseUrl, schema, dirs: [first] });
    } finally {
      await rm(first, { recursive: true, force: true });
    }
    const table = sql.identifier([schema, 'audit_log']);
    // What the migration's comment tells operators of a large table to run first.
    await pool.query(
      sql.unsafe`CREATE INDEX CONCURRENTLY audit_log_email_event_created_at_idx ON ${table} (email, event, created_at DESC, id DESC)`,
    );
    expect(await runMigrations({ databaseUrl, schema })).toEqual({ applied: [AUDIT_MIGRATIONS[1]] });
    const indexes = await pool.any(
      sql.type(z.object({ indexname: z.string() }))`
        SELECT indexname FROM pg_indexes WHERE schemaname = ${schema} AND indexname LIKE '%email_event%'`,
    );
    expect(indexes).toEqual([{ indexname: 'audit_log_email_event_created_at_idx' }]);
  });

  it('an unreachable server is AuditDatabaseUnavailableError', async () => {
    const port = await freePort();
    await expect(
      runMigrations({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/test`, schema: 'never_created' }),
    ).rejects.toBeInstanceOf(AuditDatabaseUnavailableError);
  });
});
