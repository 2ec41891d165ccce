// Where the test suites find Redis, PostgreSQL and the optional Redis Cluster, and a
// reachability check that explains what is missing instead of failing with a stack trace.
import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The URLs the tests use: TEST_* first, then the service's own variables, then local defaults. */
export function testServiceUrls(env = process.env) {
  return {
    redisUrl: env.TEST_REDIS_URL ?? env.REDIS_URL ?? DEFAULT_REDIS_URL,
    databaseUrl: env.TEST_DATABASE_URL ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    clusterNodes: env.REDIS_CLUSTER_NODES ?? '',
  };
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || defaultPort) };
}

function canConnect({ host, port }, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function dockerAvailable() {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

async function waitFor(target, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await canConnect(target)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Checks that Redis and PostgreSQL answer. When one is missing and a Docker engine runs,
 * starts it with `docker compose up -d`; otherwise returns the list of problems.
 */
export async function checkTestServices(env = process.env) {
  const { redisUrl, databaseUrl, clusterNodes } = testServiceUrls(env);
  const services = [
    { name: 'redis', label: 'Redis', url: redisUrl, target: hostPort(redisUrl, 6379) },
    { name: 'postgres', label: 'PostgreSQL', url: databaseUrl, target: hostPort(databaseUrl, 5432) },
  ];
  const missing = [];
  for (const s of services) if (!(await canConnect(s.target))) missing.push(s);

  if (missing.length > 0 && dockerAvailable()) {
    const names = missing.map((s) => s.name);
    console.error(
      `[tses] ${names.join(' and ')} not reachable; starting: docker compose up -d ${names.join(' ')}`,
    );
    execFileSync('docker', ['compose', 'up', '-d', ...names], { stdio: 'inherit' });
    for (const s of [...missing]) if (await waitFor(s.target, 60)) missing.splice(missing.indexOf(s), 1);
  }

  const problems = missing.map(
    (s) => `${s.label} is not reachable at ${s.url} (${s.target.host}:${s.target.port}).`,
  );
  const warnings = [];
  if (!clusterNodes) {
    const msg =
      'REDIS_CLUSTER_NODES is not set: the Redis Cluster tests are skipped. Start a local 3-primary cluster with `npm run cluster:start` and export the line it prints.';
    if (env.CI === 'true') problems.push(msg.replace('are skipped', 'cannot run (CI requires them)'));
    else warnings.push(msg);
  }
  return { problems, warnings };
}

export const HOW_TO_START = [
  'How to start them:',
  '  - with Docker:      docker compose up -d redis postgres && export TEST_DATABASE_URL=postgres://tses:tses-dev-password@127.0.0.1:5432/tses',
  '  - Debian / Ubuntu:  sudo apt-get install redis-server postgresql && sudo service redis-server start && sudo service postgresql start',
  '  - elsewhere:        point TEST_REDIS_URL / TEST_DATABASE_URL (or REDIS_URL / DATABASE_URL) at running servers.',
].join('\n');

// CLI: `node scripts/check-services.mjs` (run by `npm test` before any project starts).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { problems, warnings } = await checkTestServices();
  for (const w of warnings) console.warn(`[tses] warning: ${w}`);
  if (problems.length > 0) {
    console.error(
      `\n[tses] The tests need real services:\n  - ${problems.join('\n  - ')}\n\n${HOW_TO_START}\n`,
    );
    process.exit(1);
  }
}
