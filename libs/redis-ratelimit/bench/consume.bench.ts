// Throughput and latency of one `consume` at equal concurrency against the same Redis, in one run,
// per client:
//   ioredis:    @tses/redis-ratelimit · rate-limiter-flexible RateLimiterRedis · two bare EVALSHAs
//   node-redis: @tses/redis-ratelimit · two bare EVALSHAs (`sendCommand`)
// The two bare EVALSHAs, straight through the client with no library: the limiter's own script
// (`consumeWindow-1.lua`, the same Redis work, so the ratio is the library's send path alone),
// and the floor of any Lua limiter (INCR, PEXPIRE on the first hit: less work in Redis).
// Run: npm run bench -w @tses/redis-ratelimit   (builds, then runs the built package, as users do)
// Env: REDIS_URL / TEST_REDIS_URL picks the server; BENCH_CONCURRENCY, BENCH_KEYS, BENCH_OPS,
// BENCH_ROUNDS, BENCH_WARMUP change the load; BENCH_AUTOPIPELINING=0 turns ioredis's
// `enableAutoPipelining` off for the three ioredis clients (it is on by default, as the service
// runs it; the limiter then writes the commands of one tick together, as ioredis does).
//
// Fairness: each contender has its own connection, created with the same options as the others of
// its client; the same keys, concurrency and number of calls; one warm-up each; rounds
// interleaved, the order rotating each round. The rule's limit is never reached, so every call
// takes the allowed path (the denials are counted and printed, and must be 0).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import {
  defineRedisScripts,
  VERSION,
  RateLimiter,
  rateLimitRedisOptions,
  type RateLimitDecision,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { testServiceUrls } from '../../../scripts/check-services.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30_000);
const LIMIT = 1_000_000_000;
const WINDOW_MS = 30_000;
const CLIENT_OPTIONS = {
  ...rateLimitRedisOptions,
  enableAutoPipelining: process.env.BENCH_AUTOPIPELINING !== '0',
};

// The floor: what any Lua limiter on ioredis pays (defineCommand → EVALSHA, one round trip).
const FLOOR_LUA = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

interface Contender {
  name: string;
  /** The client library the contender runs on; ratios compare contenders of one client. */
  client: 'ioredis' | 'node-redis';
  /** One call, exactly as an application makes it (no wrapper that would add to each one's cost). */
  op: (key: string) => Promise<unknown>;
  /** Whether a result is a denial (a rejection that is not an Error is one, too). */
  isDenial: (result: unknown) => boolean;
  /** Where Redis's CPU is read (an ioredis connection to the same server). */
  stats: Redis;
  denied: number;
}
interface Round {
  opsPerSec: number;
  p50: number;
  p99: number;
  /** This process's CPU per call (µs). */
  nodeUs: number;
  /** redis-server CPU per call (µs), the whole server: other clients of a shared Redis count too. */
  redisUs: number;
}

const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function run(c: Contender, ops: number): Promise<Round> {
  const latencies = new Float64Array(ops);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ops; i = next++) {
      const t = performance.now();
      try {
        if (c.isDenial(await c.op(keys[i % KEYS]!))) c.denied++;
      } catch (reason) {
        if (reason instanceof Error) throw reason;
        c.denied++;
      }
      latencies[i] = performance.now() - t;
    }
  };
  const redisBefore = await redisCpuSeconds(c.stats);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const redisUsed = (await redisCpuSeconds(c.stats)) - redisBefore;
  latencies.sort();
  return {
    opsPerSec: ops / seconds,
    p50: latencies[Math.floor(ops * 0.5)]!,
    p99: latencies[Math.floor(ops * 0.99)]!,
    nodeUs: (used.user + used.system) / ops,
    redisUs: (redisUsed * 1e6) / ops,
  };
}

async function connect(): Promise<Redis> {
  const redis = new Redis(redisUrl, CLIENT_OPTIONS);
  await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

/** A node-redis client as the README creates one (defaults: offline queue on, its own batching). */
async function connectNodeRedis() {
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const version = (pkg: string): string => {
  const url = new URL(`../../../node_modules/${pkg}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
};
const load = (): string => {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
  return `${one} ${five} ${fifteen} (1/5/15 min, ${cpus().length} CPUs)`;
};

const { redisUrl } = testServiceUrls();
const tag = randomUUID().slice(0, 8);
// Prefixes of equal length (RateLimiterRedis adds the ':' itself).
const prefix = (who: string) => `bench:${tag}:${who}`;

const oursRedis = await connect();
const ours = new RateLimiter({
  redis: oursRedis,
  keyPrefix: `${prefix('ours')}:`,
  failureMode: 'throw',
  timeoutMs: 5000,
});
const rule = { limit: LIMIT, windowMs: WINDOW_MS };

const rlfRedis = await connect();
const rlf = new RateLimiterRedis({
  storeClient: rlfRedis,
  keyPrefix: prefix('rlf_'),
  points: LIMIT,
  duration: WINDOW_MS / 1000,
});

const floorRedis = await connect();
floorRedis.defineCommand('benchFloor', { numberOfKeys: 1, lua: FLOOR_LUA });
const floor = floorRedis as unknown as { benchFloor(key: string, ms: number): Promise<number> };
const floorPrefix = `${prefix('bare')}:`;

// The limiter's own script, as the built package ships it.
const { consumeWindow } = defineRedisScripts(new URL('../dist/commands/', import.meta.url), VERSION, {
  consumeWindow: 1,
});
const sameRedis = await connect();
sameRedis.defineCommand('benchSame', { numberOfKeys: 1, lua: consumeWindow.lua });
const same = sameRedis as unknown as { benchSame(key: string, limit: string, ms: string): Promise<unknown> };
const samePrefix = `${prefix('same')}:`;
const limitArg = String(LIMIT);

const stats = await connect();
const oursNode = await connectNodeRedis();
const oursOnNodeRedis = new RateLimiter({
  redis: oursNode as unknown as RedisClient,
  keyPrefix: `${prefix('ourn')}:`,
  failureMode: 'throw',
  timeoutMs: 5000,
});
const bareNode = await connectNodeRedis();
const bareSha = await bareNode.scriptLoad(FLOOR_LUA);
const bareNodePrefix = `${prefix('barn')}:`;
const windowArg = String(WINDOW_MS);
const sameNode = await connectNodeRedis();
const sameSha = await sameNode.scriptLoad(consumeWindow.lua);
const sameNodePrefix = `${prefix('samn')}:`;

const contenders: Contender[] = [
  {
    name: '@tses/redis-ratelimit',
    client: 'ioredis',
    stats,
    denied: 0,
    op: (key) => ours.consume(key, rule),
    isDenial: (d) => (d as RateLimitDecision).allowed === false,
  },
  {
    name: 'rate-limiter-flexible',
    client: 'ioredis',
    stats,
    denied: 0,
    op: (key) => rlf.consume(key),
    // RateLimiterRedis resolves when allowed; it rejects a denial with a RateLimiterRes.
    isDenial: () => false,
  },
  {
    name: 'bare EVALSHA, same script',
    client: 'ioredis',
    stats,
    denied: 0,
    op: (key) => same.benchSame(samePrefix + key, limitArg, windowArg),
    isDenial: (n) => (n as number) < 0,
  },
  {
    name: 'bare EVALSHA INCR+PEXPIRE',
    client: 'ioredis',
    stats,
    denied: 0,
    op: (key) => floor.benchFloor(floorPrefix + key, WINDOW_MS),
    isDenial: (n) => (n as number) > LIMIT,
  },
  {
    name: '@tses/redis-ratelimit',
    client: 'node-redis',
    stats,
    denied: 0,
    op: (key) => oursOnNodeRedis.consume(key, rule),
    isDenial: (d) => (d as RateLimitDecision).allowed === false,
  },
  {
    name: 'bare EVALSHA, same script',
    client: 'node-redis',
    stats,
    denied: 0,
    op: (key) => sameNode.sendCommand(['EVALSHA', sameSha, '1', sameNodePrefix + key, limitArg, windowArg]),
    isDenial: (n) => (n as number) < 0,
  },
  {
    name: 'bare EVALSHA INCR+PEXPIRE',
    client: 'node-redis',
    stats,
    denied: 0,
    op: (key) => bareNode.sendCommand(['EVALSHA', bareSha, '1', bareNodePrefix + key, windowArg]),
    isDenial: (n) => (n as number) > LIMIT,
  },
];

const entry = import.meta.resolve('@tses/redis-ratelimit');
const server = /redis_version:(\S+)/.exec(await oursRedis.info('server'))?.[1] ?? '?';
console.log(
  [
    `consume benchmark · node ${process.version} · ioredis ${version('ioredis')} · node-redis ${version('redis')} · rate-limiter-flexible ${version('rate-limiter-flexible')} · redis ${server} at ${redisUrl}`,
    `@tses/redis-ratelimit: ${entry.includes('/dist/') ? 'the built package' : 'the TypeScript source'} (${entry})`,
    `load: ${CONCURRENCY} calls in flight · ${KEYS} keys · ${OPS} calls per round × ${ROUNDS} rounds, interleaved (order rotates) · warm-up ${WARMUP} calls each`,
    `ioredis clients: one connection each, same options ${JSON.stringify(CLIENT_OPTIONS)} (rateLimitRedisOptions; rate-limiter-flexible's docs ask for enableOfflineQueue: false too)`,
    `node-redis clients: one createClient({ url }) each, its defaults`,
    `rule: limit ${LIMIT} per ${WINDOW_MS / 1000} s window (rate-limiter-flexible: points ${LIMIT}, duration ${WINDOW_MS / 1000}); never reached, so every call takes the allowed path`,
    `baselines, no library: "bare EVALSHA, same script": consumeWindow-1.lua with the limiter's arguments; "bare EVALSHA INCR+PEXPIRE": INCR, PEXPIRE on the first hit; ioredis: defineCommand; node-redis: sendCommand(['EVALSHA', …])`,
    `load average at start: ${load()}`,
  ].join('\n'),
);

for (const c of contenders) await run(c, WARMUP); // JIT, script cache, connection buffers
for (const c of contenders) c.denied = 0;

const rounds = new Map<Contender, Round[]>(contenders.map((c) => [c, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < contenders.length; i++) {
    const c = contenders[(round + i) % contenders.length]!;
    rounds.get(c)!.push(await run(c, OPS));
  }
}

const [mine, flexible, mineSame, mineFloor, mineNode, nodeSame, nodeFloor] = contenders as [
  Contender,
  Contender,
  Contender,
  Contender,
  Contender,
  Contender,
  Contender,
];
const of = (c: Contender, metric: keyof Round) => rounds.get(c)!.map((r) => r[metric]);
const ratios = (a: Contender, b: Contender) =>
  of(a, 'opsPerSec').map((ops, i) => ops / of(b, 'opsPerSec')[i]!);
const label = (c: Contender) => `${c.name} (${c.client})`;

const columns = ['contender', 'ops/s', 'p50 ms', 'p99 ms', 'node µs/call', 'redis µs/call', 'denied'];
const widths = [50, 9, 8, 8, 13, 14, 7];
const row = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' ');
console.log(`\nmedian of ${ROUNDS} rounds\n${row(columns)}`);
for (const c of contenders) {
  console.log(
    row([
      label(c),
      Math.round(median(of(c, 'opsPerSec'))).toString(),
      median(of(c, 'p50')).toFixed(2),
      median(of(c, 'p99')).toFixed(2),
      median(of(c, 'nodeUs')).toFixed(2),
      median(of(c, 'redisUs')).toFixed(2),
      c.denied.toString(),
    ]),
  );
}
console.log(
  `node µs/call: this process's CPU (user + sys) per call · redis µs/call: redis-server's CPU per call` +
    ` (the whole server: on a shared Redis, other clients count too)`,
);
console.log(`\nops/s per round:`);
for (const c of contenders) {
  console.log(
    `  ${label(c).padEnd(50)} ${of(c, 'opsPerSec')
      .map((o) => Math.round(o))
      .join(' ')}`,
  );
}

const verdict = (name: string, values: number[], goal: number) => {
  const m = median(values);
  return `${name.padEnd(56)} ${m.toFixed(2)}× (per round: ${values.map((v) => v.toFixed(2)).join(' ')}) · goal ≥ ${goal.toFixed(2)}: ${m >= goal ? 'met' : 'MISSED'}`;
};
console.log(
  `\n${verdict('ours ÷ rate-limiter-flexible (ioredis)', ratios(mine, flexible), 1.2)}` +
    `\n${verdict('ours ÷ bare EVALSHA, same script (ioredis)', ratios(mine, mineSame), 0.9)}` +
    `\n${verdict('ours ÷ bare EVALSHA, same script (node-redis)', ratios(mineNode, nodeSame), 0.9)}` +
    `\n${verdict('ours ÷ bare EVALSHA INCR+PEXPIRE (ioredis)', ratios(mine, mineFloor), 0.9)}` +
    `\n${verdict('ours ÷ bare EVALSHA INCR+PEXPIRE (node-redis)', ratios(mineNode, nodeFloor), 0.9)}` +
    `\n(a ratio compares the contenders' ops/s within one round; the verdict uses the median)` +
    `\nload average at end: ${load()}`,
);
if (contenders.some((c) => c.denied > 0)) console.log('WARNING: some calls were denied; the paths differ');
for (const redis of [oursRedis, rlfRedis, floorRedis, sameRedis, stats]) redis.disconnect();
for (const client of [oursNode, bareNode, sameNode]) client.destroy();
