// A throwaway PostgreSQL schema per test file: migrated, with a pool and a store, dropped afterwards.
import { randomUUID } from 'node:crypto';
import { sql, type DatabasePool, type Interceptor } from 'slonik';
import {
  createAuditPool,
  createPostgresAuditStore,
  runMigrations,
  type AuditStore,
} from '../../src/index.js';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';

export const { databaseUrl, redisUrl } = testServiceUrls();

export interface TestDatabase {
  readonly schema: string;
  readonly pool: DatabasePool;
  readonly store: AuditStore;
  /** Empties audit_log (between contract tests). */
  truncate(): Promise<void>;
  /** Drops the schema and ends the pool. */
  drop(): Promise<void>;
}

export function randomSchemaName(): string {
  return `audit_test_${randomUUID().replaceAll('-', '')}`;
}

export async function dropSchema(pool: DatabasePool, schema: string): Promise<void> {
  await pool.query(sql.unsafe`DROP SCHEMA IF EXISTS ${sql.identifier([schema])} CASCADE`);
}

export async function createTestDatabase(
  options: { interceptors?: Interceptor[] } = {},
): Promise<TestDatabase> {
  const schema = randomSchemaName();
  await runMigrations({ databaseUrl, schema });
  const pool = await createAuditPool({
    databaseUrl,
    ...(options.interceptors ? { clientConfiguration: { interceptors: options.interceptors } } : {}),
  });
  const table = sql.identifier([schema, 'audit_log']);
  return {
    schema,
    pool,
    store: createPostgresAuditStore({ pool, schema }),
    truncate: async () => {
      await pool.query(sql.unsafe`TRUNCATE ${table}`);
    },
    drop: async () => {
      await dropSchema(pool, schema);
      await pool.end();
    },
  };
}
