// Benchmark (not a test): POST /otp/request and POST /otp/verify of the real service (full mode:
// real Redis, PostgreSQL, BullMQ publishing) against a bare Koa route, same machine, same run.
//
//   npx nx run @tses/auth-service:bench      (or: npm run bench -w @tses/auth-service)
//   BENCH_DURATION_MS, BENCH_WARMUP_MS, BENCH_LOG_LEVEL,
//   BENCH_SCENARIOS=bare,floor,request,request-metrics,verify,refused, BENCH_PAIRS (request
//   without and with the metrics SDK, alternately; default 3)
//   TEST_REDIS_URL=redis://127.0.0.1:<port>: a Redis of its own, so INFO deltas are this run's alone
//
// Fairness: the apps (bare, floor, service) live in this process and are measured one after the
// other, each with the same warm-up and window, by the same load generator running as a separate
// process (load-generator.ts): 64 closed-loop clients on keep-alive sockets. The service logs through pino
// at BENCH_LOG_LEVEL (default `info`, as in production: a 2xx completion line is `debug`, so
// none is written); the bare app is a minimal Koa app with no middleware and no logger.
//
// Why the limits are raised: with the defaults (10 requests per IP per hour) every request from
// this one client IP after the 10th would be a 429, which measures the limiter's denial path,
// not the endpoint. The bench keeps the per-email limit (3 / 10 min) and sends each request for a
// distinct address, so every request takes the full path: limiter Lua (email + IP, all-or-nothing),
// code HMAC stored in Redis, the code (AES-GCM) and its audit event in the `otp_issued` job its
// event-loop turn shares.
// The verify run uses the codes those requests issued (captured from the job publisher in-process),
// so every verify takes the success path: atomic Lua check, PostgreSQL upsert, two JWTs, the
// refresh session in Redis, an audit job.
//
// The request-metrics run is the same endpoint on a second instance of the service built after the
// OpenTelemetry metrics SDK was registered (createMetricsPipeline, as main.ts does with METRICS_*):
// the limiter, OTP and audit libraries and the HTTP middleware record every request. The first
// instance is built before it, as a service without METRICS_* runs: the libraries find no SDK and
// report nothing. Side by side, the two give the cost of the instrumentation.
//
// The floor run (floor-app.ts) is a minimal Koa app doing only the endpoint's Redis work (limiter,
// SET, one BullMQ add per event-loop turn): the most /otp/request could reach with that work.
// The refused run floods /otp/request over 100 addresses, each exhausted after its first 3
// requests: every measured answer is a 429 (the limiter's denial path, the problem response).
//
// Besides req/s and latency it prints what a shared, noisy machine cannot blur as much: the
// service process's CPU per request, the load generator's, and Redis's (INFO deltas over the
// window: server-wide, so other clients of the same Redis count too).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { auditMigrationsDir, createAuditPool, runMigrations } from '@tses/audit';
import { RateLimiter } from '@tses/redis-ratelimit';
import { createRedisClient, OTP_ISSUED_QUEUE } from '@tses/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { pino } from 'pino';
import { sql } from 'slonik';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import { createMetricsPipeline } from '@tses/app-runtime';
import { buildFullDeps, connectRedis, createApp, serviceMigrationsDir } from '../src/index.js';
import { servicePoolConfiguration } from '../src/runtime/pool-configuration.js';
import { appKeepingCodes, benchServiceOptions, listen, obliterateQueues } from './bench-service.js';
import { createFloorApp } from './floor-app.js';
import { printGoals, type Figures } from './goals.js';
import type { LoadMessage, LoadOrder, LoadResult } from './load-generator.js';
import { redisSnapshot, redisUsage, type RedisSnapshot, type RedisUsage } from './redis-usage.js';

const CONCURRENCY = 64;
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 10_000);
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 3_000);
const LOG_LEVEL = process.env['BENCH_LOG_LEVEL'] ?? 'info';
// Pairs of /otp/request runs without and with the metrics SDK.
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 3);
const SCENARIOS = new Set(
  (process.env['BENCH_SCENARIOS'] ?? 'bare,floor,request,request-metrics,verify,refused').split(','),
);
// The refused flood: requests cycle over this many addresses, each exhausted after its first 3.
const FLOOD_ADDRESSES = 100;

/** A load run seen from both sides: the client's figures, the service's and Redis's CPU. */
interface Measured extends LoadResult {
  readonly serverCpuUs: number;
  readonly redis: RedisUsage;
  /** 1-minute load average when the run started (other work on the machine). */
  readonly loadAverage: number;
}

/** Runs the load generator against `url` and measures this process and Redis over its window. */
async function load(
  url: string,
  redis: Redis,
  options: Pick<LoadOrder, 'bodies' | 'bodyPrefix' | 'distinctEmails'>,
): Promise<Measured> {
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
  const loadAverage = loadavg()[0] ?? NaN;
  let cpu = process.cpuUsage();
  let serverCpu: NodeJS.CpuUsage | undefined;
  let before: Promise<RedisSnapshot> | undefined;
  let after: Promise<RedisSnapshot> | undefined;
  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'window-start') {
        cpu = process.cpuUsage();
        before = redisSnapshot(redis);
      } else if (message.type === 'window-end') {
        serverCpu = process.cpuUsage(cpu);
        after = redisSnapshot(redis);
      } else if (message.type === 'result') resolve(message.result);
      else reject(new Error(message.error));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(order);
  });
  child.kill();
  if (serverCpu === undefined || before === undefined || after === undefined)
    throw new Error('the load generator reported no window');
  const count = Math.max(1, result.count);
  return {
    ...result,
    serverCpuUs: (serverCpu.user + serverCpu.system) / count,
    redis: redisUsage(await before, await after, count),
    loadAverage,
  };
}

const figures = (m: Measured): Figures => ({
  rps: m.rps,
  p99: m.p99,
  serverCpuUs: m.serverCpuUs,
  redisCpuUs: m.redis.cpuUs,
  redisCommands: m.redis.commands,
});

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The run with the median req/s (what the summary below compares with bare). */
function medianRun(runs: readonly Measured[]): Measured | undefined {
  return [...runs].sort((x, y) => x.rps - y.rps)[runs.length >> 1];
}

const fixed = (value: number, width: number, digits = 0) => value.toFixed(digits).padStart(width);

function line(name: string, r: Measured, bare?: Measured): string {
  const ratio = bare === undefined ? '' : `   ${fixed((r.rps / bare.rps) * 100, 5, 1)}% of bare`;
  const short = r.exhausted ? ' (ran out of codes: window cut short)' : '';
  return (
    `${name.padEnd(18)} ${fixed(r.rps, 6)} req/s   p50 ${fixed(r.p50, 6, 2)} ms   p99 ${fixed(r.p99, 6, 2)} ms` +
    `   service ${fixed(r.serverCpuUs, 4)} µs CPU/req   client ${fixed(r.clientCpuUs, 3)} µs   ` +
    `Redis ${fixed(r.redis.cpuUs, 3)} µs, ${fixed(r.redis.commands, 4, 1)} cmds/req${ratio}\n` +
    `${''.padEnd(18)} n=${r.count} statuses ${JSON.stringify(r.statuses)}, load average ${r.loadAverage.toFixed(2)}${short}` +
    (r.redis.top.length === 0 ? '' : `\n${''.padEnd(18)} Redis per req: ${r.redis.top}`)
  );
}

async function main(): Promise<void> {
  const { redisUrl, databaseUrl } = testServiceUrls();
  const id = randomBytes(6).toString('hex');
  const schema = `auth_bench_${id}`;
  const queuePrefix = `bench${id}`;
  await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir, serviceMigrationsDir] });
  // The pool as the service builds it (start-full.ts), with the bench's larger size.
  const pool = await createAuditPool({
    databaseUrl,
    maxPoolSize: 20,
    clientConfiguration: servicePoolConfiguration,
  });
  const logger = pino({ level: LOG_LEVEL });
  // The service's own client (connectRedis: the limiter's settings, its timeouts, auto-pipelining).
  const redis = await connectRedis({ kind: 'standalone', url: redisUrl }, logger);
  const stats = new Redis(redisUrl, { connectionName: 'tses-bench-stats' });

  const options = await benchServiceOptions({
    redis,
    pool,
    schema,
    logger,
    keyPrefix: `bench:${id}:`,
    queuePrefix,
  });
  const built = buildFullDeps(options);
  const { app, takeIssued } = appKeepingCodes(built.deps);
  const service = await listen(app);

  // Registered globally only now: the instance above stays uninstrumented, this one reports.
  const metricsPipeline = SCENARIOS.has('request-metrics') ? createMetricsPipeline() : undefined;
  const builtWithMetrics =
    metricsPipeline === undefined ? undefined : buildFullDeps({ ...options, keyPrefix: `bench:${id}:m:` });
  const metricsService =
    builtWithMetrics === undefined || metricsPipeline === undefined
      ? undefined
      : await listen(
          createApp({
            ...builtWithMetrics.deps,
            metrics: { meter: metricsPipeline.meter('@tses/auth-service') },
          }).app,
        );

  const bareApp = new Koa();
  bareApp.use((ctx) => {
    ctx.status = 202;
    ctx.body = { message: 'ok', expires_in: 300, expires_at: new Date().toISOString() };
  });
  const bare = await listen(bareApp);

  const floorPrefix = `${queuePrefix}floor`;
  const floorConnection = createRedisClient(
    { kind: 'standalone', url: redisUrl },
    { name: 'tses-bench-floor', node: { enableOfflineQueue: false, maxRetriesPerRequest: 1 } },
  );
  const floorQueues = [new Queue(OTP_ISSUED_QUEUE, { connection: floorConnection, prefix: floorPrefix })];
  const floor = await listen(
    createFloorApp({
      redis,
      // As in the service: the limiter adds no prefix; the keys it is given are complete.
      limiter: new RateLimiter({ redis, failureMode: 'throw', keyPrefix: '', timeoutMs: 1_000 }),
      queue: floorQueues[0]!,
      keyPrefix: `bench:${id}:`,
    }),
  );

  try {
    const [l1, l5, l15] = loadavg().map((n) => n.toFixed(2));
    console.log(
      `Benchmark: ${CONCURRENCY} closed-loop keep-alive clients, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms window per run\n` +
        `  Node ${process.version}, ${availableParallelism()} CPUs, load average ${l1} ${l5} ${l15} at start\n` +
        `  load generator: separate process (raw HTTP/1.1); bare, floor and service: this process, one at a time\n` +
        `  service: full mode, Redis ${new URL(redisUrl).host} (auto-pipelining), PostgreSQL ${new URL(databaseUrl).host}, pino level '${LOG_LEVEL}'; bare: minimal Koa, no logger\n`,
    );
    let bareResult: Measured | undefined;
    if (SCENARIOS.has('bare')) {
      bareResult = await load(`${bare.url}/bare`, stats, { bodyPrefix: 'bare-' });
      console.log(line('bare Koa route', bareResult));
    }
    let floorResult: Measured | undefined;
    if (SCENARIOS.has('floor')) {
      floorResult = await load(`${floor.url}/floor`, stats, { bodyPrefix: `floor-${id}-` });
      console.log(line('floor (Redis work)', floorResult, bareResult));
    }
    let requestResult: Measured | undefined;
    if (SCENARIOS.has('request') || metricsService !== undefined) {
      // Without and with the metrics SDK, alternately (the order flips each pair), so a noisy
      // machine's drift falls on both; the summary takes medians.
      const plain: Measured[] = [];
      const measured: Measured[] = [];
      const pairs = metricsService === undefined || !SCENARIOS.has('request') ? 1 : PAIRS;
      for (let i = 0; i < pairs; i++) {
        const order = i % 2 === 0 ? ['plain', 'metrics'] : ['metrics', 'plain'];
        for (const which of order) {
          if (which === 'plain' && SCENARIOS.has('request')) {
            const r = await load(`${service.url}/api/v1/auth/otp/request`, stats, {
              bodyPrefix: `bench-${id}-${i}-`,
            });
            plain.push(r);
            console.log(line('POST /otp/request', r, bareResult));
          } else if (which === 'metrics' && metricsService !== undefined) {
            const r = await load(`${metricsService.url}/api/v1/auth/otp/request`, stats, {
              bodyPrefix: `bench-m-${id}-${i}-`,
            });
            measured.push(r);
            console.log(line('  + metrics SDK', r, bareResult));
          }
        }
      }
      requestResult = medianRun(plain);
      if (metricsPipeline !== undefined && measured.length > 0) {
        const text = await metricsPipeline.render();
        const issuedCount = [
          ...text.matchAll(/^tses_otp_requests_total\{[^}]*tses_otp_outcome="issued"[^}]*\} (\d+)/gm),
        ]
          .map((m) => Number(m[1]))
          .reduce((x, y) => x + y, 0);
        const served = measured.reduce((n, r) => n + (r.statuses['202'] ?? 0), 0);
        console.log(
          `${''.padEnd(18)} recorded by the SDK: tses_otp_requests_total{outcome="issued"} = ${issuedCount} (warm-ups included; ${served} in the windows)`,
        );
      }
      if (plain.length > 0 && measured.length === plain.length) {
        const rps = median(plain.map((r, i) => measured[i]!.rps / r.rps));
        const cpuPlain = median(plain.map((r) => r.serverCpuUs));
        const cpuMetrics = median(measured.map((r) => r.serverCpuUs));
        console.log(
          `Instrumentation cost on /otp/request (median of ${plain.length} pairs): with the metrics SDK ${(rps * 100).toFixed(1)}% of the req/s without; ` +
            `service CPU ${cpuMetrics.toFixed(0)} vs ${cpuPlain.toFixed(0)} µs/req (${(((cpuMetrics - cpuPlain) / cpuPlain) * 100).toFixed(1)}%).`,
        );
      }
    }
    let verifyResult: Measured | undefined;
    const issued = takeIssued();
    if (SCENARIOS.has('verify') && issued.length > 0) {
      verifyResult = await load(`${service.url}/api/v1/auth/otp/verify`, stats, {
        bodies: issued,
      });
      console.log(line('POST /otp/verify', verifyResult, bareResult));
    }

    let refusedResult: Measured | undefined;
    if (SCENARIOS.has('refused')) {
      refusedResult = await load(`${service.url}/api/v1/auth/otp/request`, stats, {
        bodyPrefix: `flood-${id}-`,
        distinctEmails: FLOOD_ADDRESSES,
      });
      console.log(line('refused flood 429', refusedResult, bareResult));
    }

    const verifyFigures = verifyResult === undefined ? {} : { verify: figures(verifyResult) };
    printGoals({
      ...(bareResult === undefined ? {} : { bare: figures(bareResult) }),
      ...(requestResult === undefined ? {} : { request: figures(requestResult) }),
      ...verifyFigures,
      ...(refusedResult === undefined ? {} : { refused: figures(refusedResult) }),
    });
    if (floorResult !== undefined && bareResult !== undefined) {
      console.log(
        `  floor (the endpoint's Redis work alone, no app code): ${((floorResult.rps / bareResult.rps) * 100).toFixed(1)}% of bare, ${floorResult.serverCpuUs.toFixed(0)} µs CPU/req`,
      );
    }
    console.log(
      `  load average at end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await metricsService?.close();
    await builtWithMetrics?.jobs.close();
    await metricsPipeline?.shutdown();
    await service.close();
    await bare.close();
    await floor.close();
    await built.jobs.close();
    for (const queue of floorQueues) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    floorConnection.disconnect();
    await obliterateQueues(redis, queuePrefix);
    await deleteKeysMatching(redis, `bench:${id}:*`);
    await pool.query(sql.unsafe`DROP SCHEMA ${sql.identifier([schema])} CASCADE`);
    await pool.end();
    await redis.quit();
    await stats.quit();
  }
}

await main();
