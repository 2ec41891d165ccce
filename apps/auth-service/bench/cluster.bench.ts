// The service on one Redis server against the same service on the 3-primary Redis Cluster, side
// by side in one process: `npm run bench:cluster -w @tses/auth-service` (needs REDIS_CLUSTER_NODES).
//
// Both services are wired exactly as `main.ts` wires them (`connectRedis` with a `RedisTarget`,
// `buildFullDeps`): the limiter, the code store, the sessions and the BullMQ publisher on that
// Redis. The runs alternate (server, cluster, server, cluster, ...) so that other work on the
// machine weighs on both alike; each line is one run, and the summary compares the medians.
//
// POST /otp/request: two limit windows in two hash slots (address and client IP), the code in a
// third, an email job and an audit job in BullMQ's slot. POST /otp/verify: the per-IP limit, the
// code's check-and-spend, a session, an audit job.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import type { RedisTarget } from '@tses/app-runtime';
import { auditMigrationsDir, createAuditPool, runMigrations } from '@tses/audit';
import { createRedisClient } from '@tses/jobs';
import { pino } from 'pino';
import { sql, type DatabasePool } from 'slonik';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import { buildFullDeps, connectRedis, serviceMigrationsDir } from '../src/index.js';
import { appKeepingCodes, benchServiceOptions, listen, obliterateQueues } from './bench-service.js';
import type { LoadMessage, LoadOrder, LoadResult } from './load-generator.js';

const CONCURRENCY = 64;
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 5_000);
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 1_500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

/** Runs the load generator (its own process) against `url`; resolves with what it measured. */
async function load(url: string, options: Pick<LoadOrder, 'bodies' | 'bodyPrefix'>): Promise<LoadResult> {
  const child = fork(new URL('./load-generator.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  const order: LoadOrder = {
    url,
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    ...options,
  };
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      child.on('message', (message: LoadMessage) => {
        if (message.type === 'result') resolve(message.result);
        else if (message.type === 'error') reject(new Error(message.error));
      });
      child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
      child.send(order);
    });
  } finally {
    child.kill();
  }
}

/** One service in full mode on `target`, keeping each issued code for the verify runs. */
async function startService(target: RedisTarget, pool: DatabasePool, schema: string, id: string) {
  const logger = pino({ level: 'warn' });
  const redis = await connectRedis(target, logger);
  const queuePrefix = `bench${id}`;
  const built = buildFullDeps(
    await benchServiceOptions({ redis, pool, schema, logger, keyPrefix: `bench:${id}:`, queuePrefix }),
  );
  const { app, takeIssued } = appKeepingCodes(built.deps);
  const http = await listen(app);
  return {
    url: http.url,
    /** The codes issued so far, handed out once. */
    takeIssued,
    async close() {
      await http.close();
      await built.jobs.close();
      const admin = createRedisClient(target, { name: 'tses-bench-cleanup' });
      await obliterateQueues(admin, queuePrefix);
      await deleteKeysMatching(admin, `bench:${id}:*`);
      admin.disconnect();
      await redis.quit();
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fixed = (value: number, width: number, digits = 0) => value.toFixed(digits).padStart(width);

async function main(): Promise<void> {
  const { redisUrl, databaseUrl, clusterNodes } = testServiceUrls();
  if (clusterNodes === '')
    throw new Error('REDIS_CLUSTER_NODES is not set: eval "$(npm run -s cluster:start)"');
  const targets: Record<'server' | 'cluster', RedisTarget> = {
    server: { kind: 'standalone', url: redisUrl },
    cluster: {
      kind: 'cluster',
      nodes: clusterNodes.split(',').map((entry) => {
        const [host = '', port = ''] = entry.trim().split(':');
        return { host, port: Number(port) };
      }),
      tls: false,
    },
  };
  const id = randomBytes(6).toString('hex');
  const schema = `auth_bench_${id}`;
  await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir, serviceMigrationsDir] });
  const pool = await createAuditPool({ databaseUrl, maxPoolSize: 20 });
  const services = {
    server: await startService(targets.server, pool, schema, `${id}s`),
    cluster: await startService(targets.cluster, pool, schema, `${id}c`),
  };
  const [l1, l5, l15] = loadavg().map((n) => n.toFixed(2));
  console.log(
    `Benchmark: the service on one Redis server (${new URL(redisUrl).host}) against the service on the Redis Cluster (${clusterNodes})\n` +
      `  ${CONCURRENCY} closed-loop keep-alive clients, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms window per run, ${ROUNDS} rounds, alternating\n` +
      `  Node ${process.version}, ${availableParallelism()} CPUs, load average ${l1} ${l5} ${l15} at start; both services wired as main.ts wires them\n`,
  );
  const rps: Record<string, number[]> = {};
  const p99: Record<string, number[]> = {};
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of ['request', 'verify'] as const) {
        for (const kind of ['server', 'cluster'] as const) {
          const service = services[kind];
          const result =
            route === 'request'
              ? await load(`${service.url}/api/v1/auth/otp/request`, {
                  bodyPrefix: `bench-${id}-${kind}-${round}-`,
                })
              : await load(`${service.url}/api/v1/auth/otp/verify`, { bodies: service.takeIssued() });
          const name = `${route} ${kind}`;
          (rps[name] ??= []).push(result.rps);
          (p99[name] ??= []).push(result.p99);
          console.log(
            `round ${round}  POST /otp/${route.padEnd(7)} ${kind.padEnd(7)} ${fixed(result.rps, 6)} req/s   p50 ${fixed(result.p50, 6, 2)} ms   p99 ${fixed(result.p99, 6, 2)} ms   n=${result.count} ${JSON.stringify(result.statuses)}${result.exhausted ? ' (ran out of codes)' : ''}`,
          );
        }
      }
    }
    console.log('\nMedians (cluster / server):');
    for (const route of ['request', 'verify']) {
      const server = median(rps[`${route} server`] ?? []);
      const cluster = median(rps[`${route} cluster`] ?? []);
      console.log(
        `  POST /otp/${route.padEnd(7)} server ${fixed(server, 6)} req/s (p99 ${fixed(median(p99[`${route} server`] ?? []), 6, 2)} ms)   cluster ${fixed(cluster, 6)} req/s (p99 ${fixed(median(p99[`${route} cluster`] ?? []), 6, 2)} ms)   ratio ${(cluster / server).toFixed(2)}`,
      );
    }
    console.log(
      `Load average at end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await services.server.close();
    await services.cluster.close();
    await pool.query(sql.unsafe`DROP SCHEMA ${sql.identifier([schema])} CASCADE`);
    await pool.end();
  }
}

await main();
