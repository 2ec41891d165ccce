// Real Redis and PostgreSQL for the tests, isolated per test by a random BullMQ prefix and schema.
import { randomUUID } from 'node:crypto';
import { createAuditPool, createPostgresAuditStore, runMigrations, type AuditStore } from '@tses/audit';
import { Redis } from 'ioredis';
import { sql, type DatabasePool } from 'slonik';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';
import { deleteKeysMatching } from '../../../../scripts/test-support/redis-keys.mjs';

export const { redisUrl, databaseUrl } = testServiceUrls();

/** A test-unique BullMQ prefix (no `:` so keys stay `<prefix>:<queue>:…`). */
export function randomPrefix(): string {
  return `tses-jobs-test-${randomUUID()}`;
}

/** A 32-byte key in base64, as `JOB_ENCRYPTION_KEY` holds it. */
export function randomKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
}

/** Deletes every key under a BullMQ prefix (SCAN + UNLINK): cleanup by namespace, never FLUSHDB. */
export function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  return deleteKeysMatching(redis, `${prefix}:*`);
}

/** A plain client for assertions on raw Redis state. */
export function rawRedis(): Redis {
  return new Redis(redisUrl);
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface TestAuditDatabase {
  readonly schema: string;
  readonly pool: DatabasePool;
  readonly store: AuditStore;
  countRows(id: string): Promise<number>;
  drop(): Promise<void>;
}

/** A migrated throwaway schema with `@tses/audit`'s PostgreSQL store on it. */
export async function createTestAuditDatabase(): Promise<TestAuditDatabase> {
  const schema = `jobs_test_${randomUUID().replaceAll('-', '')}`;
  await runMigrations({ databaseUrl, schema });
  const pool = await createAuditPool({ databaseUrl });
  const table = sql.identifier([schema, 'audit_log']);
  return {
    schema,
    pool,
    store: createPostgresAuditStore({ pool, schema }),
    async countRows(id) {
      const rows = await pool.any(sql.unsafe`SELECT 1 FROM ${table} WHERE id = ${id}`);
      return rows.length;
    },
    async drop() {
      await pool.query(sql.unsafe`DROP SCHEMA IF EXISTS ${sql.identifier([schema])} CASCADE`);
      await pool.end();
    },
  };
}
