// The HTTP middleware's benchmark: per framework, requests/s and p99 latency of one route behind
// our middleware beside the same route behind the framework's most used limiter on the same
// Redis, the bare route, and the bare route plus one Redis round trip (a PING), in one run at one
// concurrency (bench/support/http-apps.ts lists the apps). Each app runs in a process of its own;
// autocannon loads it from this one. Rounds interleave the variants, the order rotating.
// Run: npm run bench:http -w @tses/redis-ratelimit   (builds, then runs the built package)
// Env: BENCH_REDIS_URL (default: a private redis-server this script starts, so Redis's CPU is the
// bench's alone), BENCH_FRAMEWORKS (koa,express,fastify,hono), BENCH_ROUNDS (3),
// BENCH_DURATION seconds per measurement (5), BENCH_CONNECTIONS (64).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { FRAMEWORKS, THEIRS, VARIANTS, type Framework, type Variant } from './support/http-apps.ts';
import { load, median } from './support/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const frameworks = (process.env.BENCH_FRAMEWORKS ?? FRAMEWORKS.join(',')).split(',') as Framework[];
const serverScript = fileURLToPath(new URL('./support/http-server.ts', import.meta.url));

const redisServer = process.env.BENCH_REDIS_URL === undefined ? await PrivateRedis.start() : undefined;
const redisUrl = redisServer?.url ?? process.env.BENCH_REDIS_URL!;

interface Sample {
  readonly rps: number;
  readonly p99: number;
  readonly bad: number;
}

async function startChild(
  framework: Framework,
  variant: Variant,
): Promise<{ child: ChildProcess; url: string }> {
  const prefix = `bench:http:${randomUUID()}`;
  const child = spawn(process.execPath, [serverScript, framework, variant, redisUrl, prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, url: `http://127.0.0.1:${line.trim()}/` };
}

async function measure(framework: Framework, variant: Variant): Promise<Sample> {
  const { child, url } = await startChild(framework, variant);
  try {
    const first = await fetch(url);
    const limited =
      first.headers.has('ratelimit') ||
      first.headers.has('ratelimit-limit') ||
      first.headers.has('x-ratelimit-limit');
    if (
      first.status !== 200 ||
      (await first.text()) !== 'ok' ||
      limited !== (variant === 'ours' || variant === 'theirs')
    ) {
      throw new Error(
        `${framework}/${variant}: unexpected first answer ${first.status}, rate-limit fields: ${limited}`,
      );
    }
    await autocannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      bad: result.non2xx + result.errors + result.timeouts,
    };
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

console.log(
  `HTTP middleware bench: ${CONNECTIONS} connections, ${DURATION} s per measurement, ${ROUNDS} rounds, Redis ${redisServer ? 'private redis-server' : redisUrl}`,
);
console.log(`Node ${process.version}; load ${load()}`);
const rows: string[] = [];
for (const framework of frameworks) {
  const samples = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
    for (const variant of order) samples.get(variant)!.push(await measure(framework, variant));
  }
  const rps = (v: Variant) => median(samples.get(v)!.map((s) => s.rps));
  const p99 = (v: Variant) => median(samples.get(v)!.map((s) => s.p99));
  const bad = (v: Variant) => samples.get(v)!.reduce((sum, s) => sum + s.bad, 0);
  const names: Record<Variant, string> = {
    bare: 'bare route',
    ping: 'bare route + one Redis PING',
    ours: '@tses/redis-ratelimit',
    theirs: THEIRS[framework],
  };
  console.log(`\n${framework}`);
  console.log('| variant | req/s (median) | p99 ms (median) | non-2xx/errors |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const v of VARIANTS)
    console.log(`| ${names[v]} | ${rps(v).toFixed(0)} | ${p99(v).toFixed(1)} | ${bad(v)} |`);
  const ratio = (a: Variant, b: Variant) => (rps(a) / rps(b)).toFixed(2);
  console.log(
    `ours ÷ ${THEIRS[framework]}: ${ratio('ours', 'theirs')}×; ours ÷ bare + PING: ${ratio('ours', 'ping')}× (goal ≥ 0.85); ours ÷ bare: ${ratio('ours', 'bare')}×`,
  );
  rows.push(
    `| ${framework} | ${rps('bare').toFixed(0)} | ${rps('ping').toFixed(0)} | ${rps('ours').toFixed(0)} / ${p99('ours').toFixed(1)} | ${rps('theirs').toFixed(0)} / ${p99('theirs').toFixed(1)} | ${ratio('ours', 'theirs')}× | ${ratio('ours', 'ping')}× |`,
  );
}
console.log(
  '\n| framework | bare req/s | bare + PING req/s | ours req/s / p99 ms | theirs req/s / p99 ms | ours ÷ theirs | ours ÷ (bare + PING) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
await redisServer?.stop();
