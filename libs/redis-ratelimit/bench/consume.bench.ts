// The limiter's benchmark: throughput, latency and CPU of `consume` and `consumeAll` against the
// same Redis in one run, beside the peers and baselines an application would otherwise use, on
// ioredis and on node-redis (bench/support/scenarios.ts lists the scenarios and contenders):
//   allowed     ours (defaults: coalescing) · ours with coalesce: false · rate-limiter-flexible ·
//               bare EVALSHA of the same script, one per call · redis-benchmark's EVALSHA ceiling
//   denied      ours with shield: true · ours without · rate-limiter-flexible plain and with
//               inMemoryBlockOnConsumed · bare EVALSHA
//   two rules   consumeAll · RateLimiterUnion · bare EVALSHA of consumeWindows-n.lua
//   latency     ours with and without coalescing and the bare EVALSHA at 1 and 16 calls in flight
//   telemetry   ours with reporting off (telemetry: false) · the default with @opentelemetry/api and
//               no SDK (its no-op meter) · the onDecision hook alone · the metrics SDK recording (ioredis)
//   lockout-telemetry  Lockout#check the same four ways: off · no-op API · onLockoutEvent · SDK
// Run: npm run bench -w @tses/redis-ratelimit   (builds, then runs the built package, as users do)
// Env: BENCH_REDIS_URL runs against that server (default: a private redis-server this script
// starts on a free port, so Redis's CPU is the bench's alone); BENCH_BEFORE=<built index.js of
// another copy of the package> adds it as "before"; BENCH_ROUNDS, BENCH_OPS, BENCH_CONCURRENCY,
// BENCH_WARMUP, BENCH_SCENARIOS (allowed,denied,two-rules,latency,telemetry,lockout-telemetry), BENCH_AUTOPIPELINING=0
// (ioredis clients without enableAutoPipelining), BENCH_JSON=<file> writes the figures.
//
// Fairness: each contender has its own connection, created like the others of its client; the
// same keys, concurrency and number of calls; one warm-up each; rounds interleaved, the order
// rotating each round. Each call's outcome is checked (allowed or denied, as the scenario says);
// the "wrong" column must be 0.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import {
  defineRedisScripts,
  Lockout,
  RateLimiter,
  rateLimitRedisOptions,
  VERSION,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { ceilingContenders, hasRedisBenchmark } from './support/ceiling.ts';
import { measure, type Contender, type Outcome, type Round } from './support/measure.ts';
import { load, report, type Ratio } from './support/report.ts';
import { lockoutTelemetryContenders, telemetryContenders } from './support/telemetry.ts';
import {
  ALLOWED_KEYS,
  latencyContenders,
  scenariosFor,
  type ClientSetup,
  type Limiters,
} from './support/scenarios.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30_000);
const SCENARIOS = (
  process.env.BENCH_SCENARIOS ?? 'allowed,denied,two-rules,latency,telemetry,lockout-telemetry'
).split(',');
const AUTOPIPELINING = process.env.BENCH_AUTOPIPELINING !== '0';

const version = (pkg: string): string => {
  const url = new URL(`../../../node_modules/${pkg}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
};

const server = process.env.BENCH_REDIS_URL === undefined ? await PrivateRedis.start() : undefined;
const redisUrl = server?.url ?? process.env.BENCH_REDIS_URL!;
const { hostname, port } = new URL(redisUrl);
const tag = randomUUID().slice(0, 8);
const closers: (() => unknown)[] = [];

const ioredisOptions = { ...rateLimitRedisOptions, enableAutoPipelining: AUTOPIPELINING };
const ioredis = async (): Promise<Redis> => {
  const redis = new Redis(redisUrl, ioredisOptions);
  closers.push(() => redis.disconnect());
  await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
};
const nodeRedis = async () => {
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  closers.push(() => client.destroy());
  return client.connect();
};
const setups: ClientSetup[] = [
  {
    client: 'ioredis',
    connect: ioredis,
    bare: async (lua) => {
      const redis = await ioredis();
      redis.defineCommand('benchScript', { lua });
      const run = redis as unknown as { benchScript(n: number, ...argv: string[]): Promise<unknown> };
      return (keys, args) => run.benchScript(keys.length, ...keys, ...args);
    },
    rlfStore: async () => ({ storeClient: await ioredis() }),
  },
  {
    client: 'node-redis',
    connect: async () => (await nodeRedis()) as unknown as RedisClient,
    bare: async (lua) => {
      const client = await nodeRedis();
      const sha = await client.scriptLoad(lua);
      return (keys, args) => client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    },
    rlfStore: async () => ({ storeClient: await nodeRedis(), useRedisPackage: true }),
  },
];

const before = process.env.BENCH_BEFORE;
const limiters: Limiters = {
  ours: RateLimiter,
  before:
    before === undefined
      ? undefined
      : ((await import(pathToFileURL(before).href)) as { RateLimiter: typeof RateLimiter }).RateLimiter,
};
// The scripts as the built package ships them.
const scripts = defineRedisScripts(new URL('../dist/commands/', import.meta.url), VERSION, {
  consumeWindow: 1,
  consumeWindows: 'n',
});
const lua = { single: scripts.consumeWindow.lua, all: scripts.consumeWindows.lua };

const admin = await ioredis();
const entry = import.meta.resolve('@tses/redis-ratelimit');
const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
console.log(
  [
    `limiter benchmark · node ${process.version} · ioredis ${version('ioredis')} · node-redis ${version('redis')} · rate-limiter-flexible ${version('rate-limiter-flexible')} · redis ${redisVersion} at ${redisUrl}${server ? ' (private redis-server)' : ''}`,
    `@tses/redis-ratelimit: ${entry.includes('/dist/') ? 'the built package' : 'the TypeScript source'}${before ? ` · before: ${before}` : ''}`,
    `load: ${CONCURRENCY} calls in flight · ${OPS} calls per round × ${ROUNDS} rounds, interleaved (order rotates) · warm-up ${WARMUP} calls each`,
    `ioredis: one connection per contender, ${JSON.stringify(ioredisOptions)} · node-redis: one createClient({ url }) each, its defaults`,
    `load average at start: ${load()}`,
  ].join('\n'),
);

const results: Record<string, unknown> = { load: { start: load() } };

async function runScenario(
  title: string,
  contenders: Contender[],
  ratios: Ratio[],
  expected: Outcome,
  ops = OPS,
  concurrency = CONCURRENCY,
  warmup = WARMUP,
): Promise<void> {
  for (const c of contenders) await measure(c, Math.min(warmup, ops), concurrency, expected, [admin]);
  for (const c of contenders) c.wrong = 0;
  const rounds = new Map<Contender, Round[]>(contenders.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(round + i) % contenders.length]!;
      rounds.get(c)!.push(await measure(c, ops, concurrency, expected, [admin]));
    }
  }
  results[title] = report(title, rounds, ratios);
  console.log(`load average now: ${load()}`);
}

try {
  const built = await Promise.all(setups.map((setup) => scenariosFor(setup, limiters, tag, lua)));
  if (SCENARIOS.includes('allowed')) {
    const contenders = built.flatMap((b) => b.allowed);
    const ratios = built.flatMap((b) => b.ratios('allowed'));
    if (await hasRedisBenchmark()) {
      const sha = String(await admin.script('LOAD', lua.single));
      const ceiling = ceilingContenders({
        ...{ host: hostname, port: Number(port || 6379), sha, keys: ALLOWED_KEYS, inFlight: CONCURRENCY },
        ...{ keyPrefix: `bench:${tag}:rb:k`, limit: '1000000000', windowMs: '600000' },
      });
      contenders.push(...ceiling);
      for (const b of built) {
        for (const cap of ceiling) {
          ratios.push({ label: `ours ÷ ${cap.name} (${b.allowed[0]!.client})`, a: b.allowed[0]!, b: cap });
        }
      }
    }
    await runScenario(`allowed: ${ALLOWED_KEYS} keys, limit never reached`, contenders, ratios, 'allowed');
  }
  if (SCENARIOS.includes('denied')) {
    const contenders = built.flatMap((b) => b.denied);
    await runScenario(
      'denied flood: 100 exhausted keys',
      contenders,
      built.flatMap((b) => b.ratios('denied')),
      'denied',
    );
  }
  if (SCENARIOS.includes('two-rules')) {
    const contenders = built.flatMap((b) => b.twoRules);
    const title = 'two rules: consumeAll over 2 keys (10,000 pairs), all-or-nothing';
    await runScenario(
      title,
      contenders,
      built.flatMap((b) => b.ratios('two-rules')),
      'allowed',
    );
  }
  if (SCENARIOS.includes('latency')) {
    const contenders = (
      await Promise.all(setups.map((s) => latencyContenders(s, limiters, tag, lua.single)))
    ).flat();
    const ratios = (c: Contender[]): Ratio[] =>
      [0, 3].map((i) => ({ label: `coalesce: true ÷ false (${c[i]!.client})`, a: c[i]!, b: c[i + 1]! }));
    await runScenario(
      'latency: allowed, 1 call in flight',
      contenders,
      ratios(contenders),
      'allowed',
      5_000,
      1,
      1_000,
    );
    await runScenario(
      'latency: allowed, 16 calls in flight',
      contenders,
      ratios(contenders),
      'allowed',
      40_000,
      16,
      5_000,
    );
  }
  if (SCENARIOS.includes('telemetry')) {
    const { contenders, ratios, close } = await telemetryContenders(limiters.ours, ioredis, tag);
    try {
      await runScenario(
        `telemetry: allowed, ${ALLOWED_KEYS} keys, reporting off / no-op API / hook / SDK`,
        contenders,
        ratios,
        'allowed',
      );
    } finally {
      await close();
    }
  }

  if (SCENARIOS.includes('lockout-telemetry')) {
    const { contenders, ratios, close } = await lockoutTelemetryContenders(Lockout, ioredis, tag);
    try {
      await runScenario(
        `lockout telemetry: check (open), ${ALLOWED_KEYS} subjects, reporting off / no-op API / hook / SDK`,
        contenders,
        ratios,
        'allowed',
      );
    } finally {
      await close();
    }
  }

  results.load = { ...(results.load as object), end: load() };
  if (process.env.BENCH_JSON) {
    // Relative to where `npm run bench` was started (npm runs the script in the package's folder).
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.BENCH_JSON);
    writeFileSync(file, JSON.stringify(results, null, 2));
  }
  if (/"wrong": *[1-9]/.test(JSON.stringify(results))) {
    console.log('WARNING: some calls got the wrong outcome; the paths differ');
  }
} finally {
  if (server === undefined) await deleteKeysMatching(admin, `bench:${tag}:*`);
  for (const close of closers) close();
  await server?.stop();
}
