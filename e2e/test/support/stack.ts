/**
 * Starts the real, built service and worker as child processes, the way the containers do: each
 * app's own npm script (`migrate`, `start`) through {@link scriptArgv}, so the deployment test can
 * prove compose runs what these tests ran. Isolation per stack: a fresh PostgreSQL database
 * (`e2e_<random>`, dropped on stop) and a random BullMQ queue prefix. Codes are read from the
 * worker's console transport ("[email] to=<address> … Your sign-in code is 123456 …").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Cluster, Redis } from 'ioredis';
import { createPool, sql, type DatabasePool } from 'slonik';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import { APPS, ROOT, scriptArgv, scriptEntry } from './workspace.js';

/** The built entry points the stack runs; missing ones mean "build first". */
export function missingBuildOutputs(): string[] {
  const entries = [
    scriptEntry(APPS.api, 'start'),
    scriptEntry(APPS.api, 'migrate'),
    scriptEntry(APPS.worker, 'start'),
  ];
  return entries.filter((file) => !existsSync(file)).map((file) => path.relative(ROOT, file));
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Extra environment for the API (e.g. a higher per-IP limit). */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/** A running API + worker pair. */
export interface Stack {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Every code the worker has printed for `email`, oldest first. */
  codesFor(email: string): string[];
  /** Resolves with the `count`-th code for `email` once the worker prints it. */
  waitForCode(email: string, options?: { count?: number; timeoutMs?: number }): Promise<string>;
  /** Everything both processes printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const EMAIL_LINE = /^\[email\] to=(\S+) .*?\bcode is (\d{4,10})\b/;

function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

function run(
  name: string,
  appDir: string,
  script: string,
  env: NodeJS.ProcessEnv,
  log: string[],
  onLine?: (line: string) => void,
): Running {
  const [, ...args] = scriptArgv(appDir, script);
  // `node` of the script is this Node (24), whatever `node` is first on PATH.
  const child = spawn(process.execPath, args, {
    cwd: path.join(ROOT, appDir),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      log.push(`[${name}] ${line}`);
      onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

async function stopProcess(running: Running, timeoutMs = 15_000): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  await running.exited;
  clearTimeout(timer);
}

async function waitUntilReady(
  baseUrl: string,
  api: Running,
  log: string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void api.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The API did not become ready at ${baseUrl}/readyz:\n${log.slice(-40).join('\n')}`);
}

/**
 * Where the stack's processes find Redis: the test Redis, or with `TEST_REDIS_TOPOLOGY=cluster`
 * (`npm run test:cluster`) the Redis Cluster of `REDIS_CLUSTER_NODES`, given to both apps as
 * their own `REDIS_CLUSTER_NODES`.
 */
function redisEnvironment(): { readonly env: Record<string, string>; readonly cluster: boolean } {
  const { redisUrl, clusterNodes } = testServiceUrls();
  if ((process.env.TEST_REDIS_TOPOLOGY ?? 'standalone') !== 'cluster') {
    return { env: { REDIS_URL: redisUrl }, cluster: false };
  }
  if (clusterNodes === '') throw new Error('TEST_REDIS_TOPOLOGY=cluster needs REDIS_CLUSTER_NODES');
  return { env: { REDIS_CLUSTER_NODES: clusterNodes }, cluster: true };
}

/**
 * Removes what the stack's BullMQ queues left under its own random prefix (kept audit jobs, queue
 * metadata; on a Cluster under the hash tag `{prefix}`). Only keys of this prefix are touched;
 * other tests share the server.
 */
async function deleteQueueKeys(prefix: string): Promise<void> {
  const { redisUrl, clusterNodes } = testServiceUrls();
  const { cluster } = redisEnvironment();
  const redis = cluster
    ? new Cluster(
        clusterNodes.split(',').map((node) => {
          const [host = '', port = ''] = node.split(':');
          return { host, port: Number(port) };
        }),
        { lazyConnect: true, redisOptions: { maxRetriesPerRequest: 1 } },
      )
    : new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysMatching(redis, cluster ? `{${prefix}}:*` : `${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

/**
 * Creates a database, runs the migrations, starts the API and the worker, and waits for `/readyz`.
 *
 * @param options - Extra API environment.
 * @returns The running stack; call `stop()` in `afterAll`.
 * @throws with the processes' output when a step fails.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { databaseUrl } = testServiceUrls();
  const database = `e2e_${randomUUID().replaceAll('-', '')}`;
  const queuePrefix = `e2e-${randomBytes(6).toString('hex')}`;
  const admin: DatabasePool = await createPool(databaseUrl, { maximumPoolSize: 1 });
  await admin.query(sql.unsafe`CREATE DATABASE ${sql.identifier([database])}`);

  const log: string[] = [];
  const codes = new Map<string, string[]>();
  const waiters = new Set<() => void>();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // A clean environment, as in a container: nothing of the test runner's (NODE_OPTIONS with
  // `--conditions=@tses/source` would load the libraries' TypeScript source instead of dist).
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    TZ: 'UTC',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    ...redisEnvironment().env,
    DATABASE_URL: databaseUrlFor(databaseUrl, database),
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    OTP_SECRET: randomBytes(48).toString('base64'),
    JOB_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_EMAILS: '',
    // The tests stand in for many clients with X-Forwarded-For (see load-guarantees.test.ts).
    TRUST_PROXY: '1',
    EMAIL_TRANSPORT: 'console',
    SMTP_URL: '',
  };
  const processes: Running[] = [];

  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => stopProcess(p)));
    await admin.query(sql.unsafe`DROP DATABASE IF EXISTS ${sql.identifier([database])} WITH (FORCE)`);
    await admin.end();
    await deleteQueueKeys(queuePrefix);
  };

  try {
    const migrate = run('migrate', APPS.api, 'migrate', env, log);
    processes.push(migrate);
    const migrateCode = await migrate.exited;
    if (migrateCode !== 0) throw new Error(`migrate exited with ${migrateCode}:\n${log.join('\n')}`);

    processes.push(
      run('worker', APPS.worker, 'start', env, log, (line) => {
        const match = EMAIL_LINE.exec(line);
        if (match === null) return;
        const list = codes.get(match[1]!) ?? [];
        list.push(match[2]!);
        codes.set(match[1]!, list);
        for (const wake of waiters) wake();
      }),
    );
    const api = run('api', APPS.api, 'start', { ...env, ...options.apiEnv }, log);
    processes.push(api);
    await waitUntilReady(baseUrl, api, log);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    baseUrl,
    codesFor: (email) => [...(codes.get(email) ?? [])],
    waitForCode(email, { count = 1, timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const list = codes.get(email) ?? [];
          if (list.length < count) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(list[count - 1]!);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `No email #${count} for ${email} within ${timeoutMs} ms:\n${log.slice(-30).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    output: () => log.join('\n'),
    stop,
  };
}
