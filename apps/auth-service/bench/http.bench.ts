// Benchmark (not a test): POST /otp/request and POST /otp/verify of the real service (full mode:
// real Redis, PostgreSQL, BullMQ publishing) against a bare Koa route, same process, same run.
//
//   npx nx run @tses/auth-service:bench      (or: npm run bench -w @tses/auth-service)
//
// Why the limits are raised: with the defaults (10 requests per IP per hour) every request from
// this one client IP after the 10th would be a 429, which measures the limiter's denial path,
// not the endpoint. The bench keeps the per-email limit (3 / 10 min) and sends each request for a
// distinct address, so every request takes the full path: limiter Lua (email + IP, all-or-nothing),
// code HMAC stored in Redis, OTP email job (AES-GCM) and audit job queued in BullMQ.
// The verify run uses the codes those requests issued (captured from the job publisher in-process),
// so every verify takes the success path: atomic Lua check, PostgreSQL upsert, two JWTs, the
// refresh session in Redis, an audit job.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { AUDIT_QUEUE_NAME, auditMigrationsDir, createAuditPool, runMigrations } from '@tses/audit';
import { rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { OTP_EMAIL_QUEUE } from '@tses/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { pino } from 'pino';
import { sql } from 'slonik';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { buildFullDeps, createApp, createSigningKeys, serviceMigrationsDir } from '../src/index.js';
import { LOAD_WORKER_SOURCE } from './load-worker.js';

const CONCURRENCY = 64;
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 8_000);
const WARMUP_MS = 1_000;

interface LoadResult {
  count: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  sent: number;
  error?: string;
}

function load(url: string, options: { bodies?: string[]; bodyPrefix?: string }): Promise<LoadResult> {
  const worker = new Worker(LOAD_WORKER_SOURCE, {
    eval: true,
    workerData: { url, concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: WARMUP_MS, ...options },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: LoadResult) =>
      result.error ? reject(new Error(result.error)) : resolve(result),
    );
    worker.once('error', reject);
  });
}

async function listen(app: Koa): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function line(name: string, r: LoadResult, bare?: LoadResult): string {
  const ratio = bare === undefined ? '' : `  ${((r.rps / bare.rps) * 100).toFixed(1)}% of bare`;
  return `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99
    .toFixed(2)
    .padStart(6)} ms   (n=${r.count}, statuses ${JSON.stringify(r.statuses)})${ratio}`;
}

async function main(): Promise<void> {
  const { redisUrl, databaseUrl } = testServiceUrls();
  const id = randomBytes(6).toString('hex');
  const schema = `auth_bench_${id}`;
  const queuePrefix = `bench${id}`;
  await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir, serviceMigrationsDir] });
  const pool = await createAuditPool({ databaseUrl, maxPoolSize: 20 });
  const redis = new Redis(redisUrl, { ...rateLimitRedisOptions, enableAutoPipelining: true });
  await once(redis, 'ready');

  const built = buildFullDeps({
    redis,
    pool,
    schema,
    logger: pino({ level: 'warn' }),
    settings: {
      adminEmails: [],
      trustProxyHops: 0,
      verifyIpRule: { name: 'otp-verify-ip', limit: 1_000_000_000, windowMs: 900_000 },
      version: 'bench',
    },
    otpSecret: randomBytes(48).toString('base64'),
    otpSettings: { ipRequestLimit: 1_000_000 },
    signingKeys: await createSigningKeys({ secret: randomBytes(48).toString('base64') }),
    jwt: { issuer: 'bench', audience: 'bench', accessTtlSeconds: 300, refreshTtlSeconds: 86_400 },
    jobEncryptionKey: randomBytes(32).toString('base64'),
    keyPrefix: `bench:${id}:`,
    queuePrefix,
  });
  // Keep each issued code (bench only) so the verify run can take the success path.
  const issued: string[] = [];
  const jobs = built.deps.jobs;
  const { app } = createApp({
    ...built.deps,
    jobs: {
      sendOtpEmail: async (input) => {
        issued.push(JSON.stringify({ email: input.email, otp: input.otp }));
        await jobs.sendOtpEmail(input);
      },
      writeAuditLog: (event) => jobs.writeAuditLog(event),
    },
  });
  const service = await listen(app);

  const bareApp = new Koa();
  bareApp.use((ctx) => {
    ctx.status = 202;
    ctx.body = { message: 'ok', expires_in: 300, expires_at: new Date().toISOString() };
  });
  const bare = await listen(bareApp);

  try {
    console.log(
      `Benchmark: ${CONCURRENCY} concurrent keep-alive clients, ${DURATION_MS} ms after ${WARMUP_MS} ms warm-up, Node ${process.version}\n`,
    );
    const bareResult = await load(`${bare.url}/bare`, { bodyPrefix: 'bare-' });
    console.log(line('bare Koa route', bareResult));
    const requestResult = await load(`${service.url}/api/v1/auth/otp/request`, {
      bodyPrefix: `bench-${id}-`,
    });
    console.log(line('POST /otp/request', requestResult, bareResult));
    const verifyResult = await load(`${service.url}/api/v1/auth/otp/verify`, { bodies: [...issued] });
    console.log(line('POST /otp/verify', verifyResult, bareResult));

    const ratio = requestResult.rps / bareResult.rps;
    console.log(
      `\nGoal: /otp/request ≥ 35% of bare (${(ratio * 100).toFixed(1)}%: ${ratio >= 0.35 ? 'met' : 'NOT met'}), ` +
        `p99 < 50 ms (${requestResult.p99.toFixed(1)} ms: ${requestResult.p99 < 50 ? 'met' : 'NOT met'}).`,
    );
  } finally {
    await service.close();
    await bare.close();
    await built.jobs.close();
    for (const name of [OTP_EMAIL_QUEUE, AUDIT_QUEUE_NAME]) {
      const queue = new Queue(name, { connection: { url: redisUrl }, prefix: queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bench:${id}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await pool.query(sql.unsafe`DROP SCHEMA ${sql.identifier([schema])} CASCADE`);
    await pool.end();
    await redis.quit();
  }
}

await main();
