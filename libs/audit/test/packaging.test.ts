// The packed tarballs (@tses/audit with the @tses/core it depends on) install into a fresh project
// outside the monorepo, migrate and use real PostgreSQL with the SQL files the package ships, and
// pass publint --strict. Then the README's install line is run in that project and every
// TypeScript example of the README runs there as written (Node strips the types), against a
// throwaway database and a private BullMQ prefix: docs that drift fail here.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_QUEUE_NAME, createAuditPool } from '../src/index.js';
import {
  freshProject,
  npmInstall,
  packLibrary,
  publintProblems,
  REPO_ROOT,
  typeErrors,
} from '../../../scripts/test-support/packaging.mjs';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { readmeExamples, readmeInstallPackages } from '../../../scripts/test-support/readme.mjs';
import { databaseUrl, dropSchema, randomSchemaName, redisUrl } from './support/database.js';

const libDir = (name: string) => join(REPO_ROOT, 'libs', name);

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

const work = mkdtempSync(join(tmpdir(), 'tses-audit-pack-'));
const app = join(work, 'app');
let packed: { tarball: string; files: string[] }[] = [];

beforeAll(() => {
  // Inside the monorepo, Node would fall back to its node_modules and hide a missing dependency.
  expect(work.startsWith(REPO_ROOT)).toBe(false);
  packed = ['core', 'audit'].map((lib) => packLibrary(libDir(lib), join(work, 'tarballs')));
  // No bullmq/ioredis yet: the first test proves the package works without its optional peer.
  freshProject(
    app,
    packed.map((p) => p.tarball),
  );
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('packaging', () => {
  const schema = randomSchemaName();
  afterAll(async () => {
    const pool = await createAuditPool({ databaseUrl });
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('npm pack → install the tarballs outside the monorepo → runs on PostgreSQL without bullmq; publint passes', async () => {
    const audit = packed[1]!;
    expect(audit.files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/dts/index.d.ts',
        'migrations/1793491200000_audit_create-audit-log.sql',
        'migrations/1796601600000_audit_email-event-index.sql',
        'README.md',
        'LICENSE',
        'package.json',
      ]),
    );
    expect(audit.files.filter((f) => /^(src|test|bench)\/|tsbuildinfo/.test(f))).toEqual([]);

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
      shipped: ['1793491200000_audit_create-audit-log.sql', '1796601600000_audit_email-event-index.sql'],
      applied: ['1793491200000_audit_create-audit-log', '1796601600000_audit_email-event-index'],
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
        countIsEstimate: false,
        totalPages: 1,
        nextCursor: null,
      },
    });

    const problems = Object.fromEntries(
      await Promise.all(
        packed.map(async (p) => [p.tarball.split('/').at(-1), await publintProblems(p.tarball)]),
      ),
    );
    expect(problems).toEqual({
      'tses-core-0.2.0.tgz': [],
      'tses-audit-0.2.0.tgz': [],
    });
  }, 120_000);
});

describe('README examples run as written, installed as the README says', () => {
  const examples = readmeExamples(readFileSync(join(libDir('audit'), 'README.md'), 'utf8'));
  const database = `audit_readme_${randomUUID().replaceAll('-', '')}`;
  const exampleDatabaseUrl = Object.assign(new URL(databaseUrl), { pathname: `/${database}` }).href;
  const redis = new URL(redisUrl);
  const env = {
    ...process.env,
    DATABASE_URL: exampleDatabaseUrl,
    REDIS_HOST: redis.hostname,
    REDIS_PORT: redis.port || '6379',
    QUEUE_PREFIX: `tses-audit-readme-${randomUUID()}`,
    NODE_NO_WARNINGS: '1',
  };
  let admin: InstanceType<typeof pg.Client>;
  let db: InstanceType<typeof pg.Client>;

  beforeAll(async () => {
    // Exactly what the README's install lines add (the @tses packages are the tarballs), plus the
    // web framework of the HTTP example, which is the app's own choice.
    const registry = readmeInstallPackages(readFileSync(join(libDir('audit'), 'README.md'), 'utf8')).filter(
      (name) => !name.startsWith('@tses/'),
    );
    npmInstall(app, [...registry, 'koa', '@types/koa', '@types/node']);
    mkdirSync(join(app, 'src'));
    examples.forEach((example, index) => writeFileSync(exampleFile(index), example.code));
    mkdirSync(join(app, 'migrations'));
    writeFileSync(
      join(app, 'migrations', '1796688000000_app_create-users.sql'),
      '-- Up Migration\nCREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL UNIQUE);\n-- Down Migration\nDROP TABLE users;\n',
    );
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    db = new pg.Client({ connectionString: exampleDatabaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    const queue = new Queue(AUDIT_QUEUE_NAME, {
      connection: { host: env.REDIS_HOST, port: Number(env.REDIS_PORT) },
      prefix: env.QUEUE_PREFIX,
    });
    await queue.obliterate({ force: true });
    await queue.close();
    await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin?.end();
  });

  /** Writes the example to the app's `src/` and runs it to completion with Node; returns stdout. */
  const exampleFile = (index: number) => join(app, 'src', `example-${index}.ts`);

  function run(index: number): string {
    return execFileSync(process.execPath, [exampleFile(index)], {
      cwd: app,
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
  }

  /** Starts a long-running example; `stop()` sends SIGTERM and resolves with its exit code. */
  function start(index: number, extraEnv: Record<string, string> = {}) {
    const child = spawn(process.execPath, [exampleFile(index)], { cwd: app, env: { ...env, ...extraEnv } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return {
      output: () => output,
      stop: async () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('the README has these examples, in this order (a new one must be added here)', () => {
    expect(examples.map((e) => e.heading)).toEqual([
      'Migrate',
      'Write',
      'Enqueue (BullMQ)',
      'Enqueue (BullMQ)',
      'Query',
      'In an HTTP service',
      'Memory store',
      'Metrics and traces',
    ]);
  });

  it('every example compiles in a strict TypeScript project against the packed types', async () => {
    // The monorepo's own settings (tsconfig.base.json), plus erasableSyntaxOnly: Node runs them by
    // stripping the types, as above.
    const compilerOptions = {
      target: 'es2024',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      noEmit: true,
    };
    expect(await typeErrors(app, { compilerOptions, include: ['src/example-*.ts'] })).toEqual([]);
  }, 60_000);

  it('Migrate: the audit table in public, then audit + app tables in one history in `auth`', async () => {
    const out = run(0);
    expect(out.slice(out.lastIndexOf('['))).toBe(
      "[\n  '1793491200000_audit_create-audit-log',\n  '1796601600000_audit_email-event-index',\n  '1796688000000_app_create-users'\n]\n",
    );
    const { rows } = await db.query<{ table: string }>(
      `SELECT table_schema || '.' || table_name AS table FROM information_schema.tables
       WHERE table_schema IN ('public', 'auth') ORDER BY 1`,
    );
    expect(rows.map((r) => r.table)).toEqual([
      'auth.audit_log',
      'auth.pgmigrations',
      'auth.users',
      'public.audit_log',
      'public.pgmigrations',
    ]);
  });

  it('Write: inserted, then the same id again is not', async () => {
    expect(run(1)).toBe('{ inserted: true }\n{ inserted: false }\n');
  });

  it('Enqueue: the producer adds a job; the consumer writes it, then stops cleanly on SIGTERM', async () => {
    const id = run(2).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const consumer = start(3);
    try {
      await until(() => consumer.output().includes(`${id} { inserted: true }`), 'the consumer');
    } finally {
      expect(await consumer.stop()).toBe(0);
    }
    const { rows } = await db.query('SELECT event, email FROM public.audit_log WHERE id = $1', [id]);
    expect(rows).toEqual([{ event: 'OTP_FAILED', email: 'user@example.com' }]);
  });

  it('Query: a page with its count, a cursor walk to the end and one page back', async () => {
    const out = run(4);
    expect(out).toMatch(/count: 1,/);
    expect(out.trim().split('\n').at(-1)).toBe('2');
  });

  it('In an HTTP service: 200 with a page, 400 naming the parameter, a clean stop on SIGTERM', async () => {
    const port = await freePort();
    const server = start(5, { PORT: String(port) });
    const get = (query: string) => fetch(`http://127.0.0.1:${port}/?${query}`);
    try {
      await until(
        () =>
          get('').then(
            () => true,
            () => false,
          ),
        'the server',
      );
      const page = await get('email=User@Example.com&page_size=1');
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({ page: 1, pageSize: 1, count: 2, totalPages: 2 });
      const bad = await get('from=0000-01-01T00:00:00Z');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ field: 'from' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('Metrics and traces: onOutcome tells inserted, then duplicate', () => {
    expect(run(7)).toBe('write inserted\nwrite duplicate\n');
  });

  it('Memory store: one write, counted under its normalised address', () => {
    expect(run(6)).toBe('1\n');
  });
});
