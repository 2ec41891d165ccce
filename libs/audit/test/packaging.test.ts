// The packed tarballs (@tses/audit with the @tses/otp and @tses/redis-ratelimit it depends on)
// install into a fresh project outside the monorepo, migrate and use real PostgreSQL with the SQL
// files the package ships, and pass publint --strict (CONVENTIONS 6).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditPool } from '../src/index.js';
import { databaseUrl, dropSchema, randomSchemaName } from './support/database.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const libDir = (name: string) => join(repoRoot, 'libs', name);
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
    timeout: 120_000,
  });

/** `npm pack` (its `prepack` builds) into `into`; returns the tarball path and the packed files. */
function pack(lib: string, into: string): { tarball: string; files: string[] } {
  const out = npm(['pack', '--json', '--pack-destination', into], libDir(lib));
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(into, info.filename), files: info.files.map((f) => f.path) };
}

/** publint --strict on the tarball itself: what would be published, not the working tree. */
async function publintProblems(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  return messages
    .filter((m) => m.type !== 'suggestion')
    .map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`);
}

const CONSUMER = `
import { relative } from 'node:path';
import { readdirSync } from 'node:fs';
import { auditMigrationsDir, createAuditPool, createPostgresAuditStore, runMigrations } from '@tses/audit';

const { DATABASE_URL: databaseUrl, AUDIT_SCHEMA: schema, EVENT_ID: id } = process.env;
const migrated = await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir] });
const pool = await createAuditPool({ databaseUrl });
try {
  const store = createPostgresAuditStore({ pool, schema });
  const event = {
    id, event: 'OTP_VERIFIED', email: 'user@example.com', ip: '203.0.113.7', userAgent: 'packaging-test',
    metadata: { via: 'tarball' }, occurredAt: '2026-03-01T14:00:00+02:00',
  };
  const writes = [await store.write(event), await store.write({ ...event, event: 'OTP_FAILED' })];
  const page = await store.queryPage({ email: ' User@Example.COM' });
  console.log(JSON.stringify({
    migrationsDir: relative(process.cwd(), auditMigrationsDir),
    shipped: readdirSync(auditMigrationsDir),
    applied: migrated.applied,
    writes,
    page,
  }));
} finally {
  await pool.end();
}
`;

describe('packaging', () => {
  const work = mkdtempSync(join(tmpdir(), 'tses-audit-pack-'));
  const schema = randomSchemaName();
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    const pool = await createAuditPool({ databaseUrl });
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('npm pack → install the three tarballs outside the monorepo → runs on PostgreSQL; publint passes', async () => {
    // Inside the monorepo, Node would fall back to its node_modules and hide a missing dependency.
    expect(work.startsWith(repoRoot)).toBe(false);
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed = ['redis-ratelimit', 'otp', 'audit'].map((lib) => pack(lib, tarballs));
    const audit = packed[2]!;
    expect(audit.files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/dts/index.d.ts',
        'migrations/1793491200000_audit_create-audit-log.sql',
        'README.md',
        'LICENSE',
        'package.json',
      ]),
    );
    expect(audit.files.filter((f) => /^(src|test|bench)\/|tsbuildinfo/.test(f))).toEqual([]);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // No bullmq/ioredis: the script does not enqueue, and bullmq is an optional peer of @tses/audit.
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...packed.map((p) => p.tarball),
      ],
      app,
    );
    writeFileSync(join(app, 'main.mjs'), CONSUMER);
    const id = randomUUID();
    const out = execFileSync(process.execPath, ['main.mjs'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_SCHEMA: schema, EVENT_ID: id },
      timeout: 30_000,
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
      migrationsDir: join('node_modules', '@tses', 'audit', 'migrations'),
      shipped: ['1793491200000_audit_create-audit-log.sql'],
      applied: ['1793491200000_audit_create-audit-log'],
      writes: [{ inserted: true }, { inserted: false }],
      page: {
        items: [
          {
            id,
            event: 'OTP_VERIFIED',
            email: 'user@example.com',
            ipAddress: '203.0.113.7',
            userAgent: 'packaging-test',
            metadata: { via: 'tarball' },
            createdAt: '2026-03-01T12:00:00.000Z',
          },
        ],
        page: 1,
        pageSize: 20,
        count: 1,
        totalPages: 1,
      },
    });

    const problems = Object.fromEntries(
      await Promise.all(
        packed.map(async (p) => [p.tarball.split('/').at(-1), await publintProblems(p.tarball)]),
      ),
    );
    expect(problems).toEqual({
      'tses-redis-ratelimit-0.2.0.tgz': [],
      'tses-otp-0.2.0.tgz': [],
      'tses-audit-0.2.0.tgz': [],
    });
  }, 120_000);
});
