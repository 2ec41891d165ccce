// Where the test suites find Redis, PostgreSQL and the optional Redis Cluster, and a check that
// explains what is missing (not reachable, login refused, database absent) instead of failing
// later with a stack trace. Run by `npm test` before any project, and by vitest's globalSetup.
// The helpers the suites share around those services are in test-support/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
// The services `docker compose up -d redis postgres` starts (see docker-compose.yml).
const COMPOSE_DATABASE_URL = 'postgres://tses:tses-dev-password@127.0.0.1:5432/tses';
// Written when this script started the compose services itself, so the tests use them.
const STARTED_FILE = new URL('../tmp/test-services.json', import.meta.url);

function startedByUs() {
  try {
    return existsSync(STARTED_FILE) ? JSON.parse(readFileSync(STARTED_FILE, 'utf8')) : {};
  } catch {
    return {};
  }
}

/** The URLs the tests use: TEST_* first, then the service's own variables, then local defaults. */
export function testServiceUrls(env = process.env) {
  const started = startedByUs();
  return {
    redisUrl: env.TEST_REDIS_URL ?? env.REDIS_URL ?? DEFAULT_REDIS_URL,
    databaseUrl: env.TEST_DATABASE_URL ?? env.DATABASE_URL ?? started.databaseUrl ?? DEFAULT_DATABASE_URL,
    clusterNodes: env.REDIS_CLUSTER_NODES ?? '',
  };
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || defaultPort) };
}

/** Opens a TCP connection; with `probe`, writes it and resolves with the first reply chunk. */
function talk({ host, port }, probe, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false }));
    socket.once('error', () => done({ ok: false }));
    socket.once('connect', () => (probe ? socket.write(probe) : done({ ok: true, reply: '' })));
    socket.once('data', (chunk) => done({ ok: true, reply: chunk.toString('latin1') }));
  });
}

function dockerAvailable() {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

async function checkRedis(url) {
  const target = hostPort(url, 6379);
  const { ok, reply } = await talk(target, 'PING\r\n');
  if (!ok) return `Redis is not reachable at ${url} (${target.host}:${target.port}).`;
  if (reply.startsWith('-NOAUTH') || reply.startsWith('-WRONGPASS')) {
    return `Redis at ${url} wants a password: put it in the URL (redis://:password@host:port).`;
  }
  return reply.startsWith('+PONG') ? null : `Redis at ${url} did not answer PING (${reply.trim()}).`;
}

async function checkPostgres(url) {
  const target = hostPort(url, 5432);
  if (!(await talk(target)).ok) {
    return `PostgreSQL is not reachable at ${url} (${target.host}:${target.port}).`;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.slice(1)) || u.username;
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    if (error?.code === '3D000') {
      return `PostgreSQL at ${target.host}:${target.port} has no database "${database}": create it with \`createdb -h ${target.host} -p ${target.port} -U ${decodeURIComponent(u.username) || 'postgres'} ${database}\`.`;
    }
    if (error?.code === '28P01' || error?.code === '28000') {
      return `PostgreSQL at ${target.host}:${target.port} refused the login of "${decodeURIComponent(u.username)}": put the right user and password in TEST_DATABASE_URL.`;
    }
    return `PostgreSQL at ${url} answered with an error: ${error?.message ?? error}.`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Checks that Redis and PostgreSQL answer and accept the tests' login. When a server is not
 * reachable and a Docker engine runs, starts it with `docker compose up -d`; otherwise returns
 * the list of problems, each saying what to do.
 */
export async function checkTestServices(env = process.env) {
  let { redisUrl, databaseUrl, clusterNodes } = testServiceUrls(env);
  const explicitDatabase = Boolean(env.TEST_DATABASE_URL ?? env.DATABASE_URL);
  const unreachable = [];
  if (!(await talk(hostPort(redisUrl, 6379))).ok) unreachable.push('redis');
  if (!(await talk(hostPort(databaseUrl, 5432))).ok) unreachable.push('postgres');

  if (unreachable.length > 0 && dockerAvailable()) {
    console.error(
      `[tses] ${unreachable.join(' and ')} not reachable; starting: docker compose up -d ${unreachable.join(' ')}`,
    );
    // --wait returns once the healthchecks pass (docker-compose.yml), so the servers answer now.
    // If it fails, compose has printed why; the checks below then say what is still missing.
    const started =
      spawnSync('docker', ['compose', 'up', '-d', '--wait', ...unreachable], { stdio: 'inherit' }).status ===
      0;
    if (started && unreachable.includes('postgres') && !explicitDatabase) {
      databaseUrl = COMPOSE_DATABASE_URL;
      mkdirSync(new URL('.', STARTED_FILE), { recursive: true });
      writeFileSync(STARTED_FILE, JSON.stringify({ databaseUrl }));
    }
  }

  const problems = (await Promise.all([checkRedis(redisUrl), checkPostgres(databaseUrl)])).filter(Boolean);
  const warnings = [];
  if (!clusterNodes) {
    const msg =
      'REDIS_CLUSTER_NODES is not set: the Redis Cluster tests are skipped. Start a local 3-primary cluster with `eval "$(npm run -s cluster:start)"` (it exports the variable).';
    if (env.CI === 'true') problems.push(msg.replace('are skipped', 'cannot run (CI requires them)'));
    else warnings.push(msg);
  }
  return { problems, warnings };
}

export const HOW_TO_START = [
  'How to start them:',
  '  - with Docker:      docker compose up -d redis postgres && export TEST_DATABASE_URL=' +
    COMPOSE_DATABASE_URL,
  '  - Debian / Ubuntu:  sudo apt-get install redis-server postgresql && sudo service redis-server start && sudo service postgresql start',
  '                      sudo -u postgres createdb test && sudo -u postgres psql -c "ALTER USER postgres PASSWORD \'postgres\'"',
  '                      export TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/test',
  '  - elsewhere:        point TEST_REDIS_URL / TEST_DATABASE_URL (or REDIS_URL / DATABASE_URL) at running servers.',
].join('\n');

// CLI: `node scripts/check-services.mjs` (run by `npm test` before any project starts).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { problems, warnings } = await checkTestServices();
  for (const w of warnings) console.warn(`[tses] warning: ${w}`);
  if (problems.length > 0) {
    console.error(
      `\n[tses] The tests need real services:\n  - ${problems.join('\n  - ')}\n\n${HOW_TO_START}\n`,
    );
    process.exit(1);
  }
}
