// Throughput and latency of one `consume` at equal concurrency against the same Redis:
//   this library · rate-limiter-flexible RateLimiterRedis · a bare EVALSHA of INCR + PEXPIRE (the floor).
// Run: npm run bench -w @tses/redis-ratelimit   (REDIS_URL / TEST_REDIS_URL picks the server)
// Every hit is admitted (a high limit) so all three do the same work: count and expire.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimiter, rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { testServiceUrls } from '../../../scripts/check-services.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW_MS = 30_000;

const FLOOR_LUA = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

type Op = (key: string) => Promise<unknown>;
interface Result {
  name: string;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** This process's CPU per call (µs): steadier than ops/s on a machine shared with other work. */
  cpuUs: number;
}

async function run(name: string, op: Op, ops: number): Promise<Result> {
  const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
  const latencies = new Float64Array(ops);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ops; i = next++) {
      const t = performance.now();
      await op(keys[i % KEYS]!);
      latencies[i] = performance.now() - t;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort();
  return {
    name,
    opsPerSec: ops / seconds,
    p50: latencies[Math.floor(ops * 0.5)]!,
    p99: latencies[Math.floor(ops * 0.99)]!,
    cpuUs: (used.user + used.system) / ops,
  };
}

const { redisUrl } = testServiceUrls();
const redis = new Redis(redisUrl, { ...rateLimitRedisOptions });
await new Promise((resolve) => redis.once('ready', resolve));
const tag = randomUUID();

const ours = new RateLimiter({
  redis,
  keyPrefix: `bench:${tag}:ours:`,
  failureMode: 'throw',
  timeoutMs: 5000,
});
const rule = { limit: 1_000_000_000, windowMs: WINDOW_MS };
const rlf = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `bench:${tag}:rlf`,
  points: 1_000_000_000,
  duration: WINDOW_MS / 1000,
});
redis.defineCommand('benchFloor', { numberOfKeys: 1, lua: FLOOR_LUA });
const floorClient = redis as unknown as { benchFloor(key: string, ms: number): Promise<number> };
const floorPrefix = `bench:${tag}:floor:`;

const contenders: [string, Op][] = [
  ['@tses/redis-ratelimit', (key) => ours.consume(key, rule)],
  ['rate-limiter-flexible', (key) => rlf.consume(key)],
  ['bare EVALSHA INCR+PEXPIRE', (key) => floorClient.benchFloor(floorPrefix + key, WINDOW_MS)],
];

console.log(
  `redis ${redisUrl} · ${CONCURRENCY} in flight · ${KEYS} keys · ${OPS} ops × ${ROUNDS} rounds (interleaved; best round shown)`,
);
for (const [name, op] of contenders) await run(name, op, 5000); // warm-up: JIT, script load

const best = new Map<string, Result>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, op] of contenders) {
    const r = await run(name, op, OPS);
    const prev = best.get(name);
    if (!prev || r.opsPerSec > prev.opsPerSec)
      best.set(name, { ...r, cpuUs: Math.min(r.cpuUs, prev?.cpuUs ?? Infinity) });
    else prev.cpuUs = Math.min(prev.cpuUs, r.cpuUs);
  }
}

const results = [...best.values()];
const [mine, flexible, floor] = results as [Result, Result, Result];
const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `\n${pad('contender', 28)} ${pad('ops/s', 10)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('node µs/op', 11)} ours ÷ it`,
);
for (const r of results) {
  console.log(
    `${pad(r.name, 28)} ${pad(Math.round(r.opsPerSec).toString(), 10)} ${pad(r.p50.toFixed(2), 8)} ${pad(r.p99.toFixed(2), 8)} ${pad(r.cpuUs.toFixed(2), 11)} ${(mine.opsPerSec / r.opsPerSec).toFixed(2)}×`,
  );
}
const vsFlexible = mine.opsPerSec / flexible.opsPerSec;
const vsFloor = mine.opsPerSec / floor.opsPerSec;
console.log(
  `\nvs rate-limiter-flexible: ${vsFlexible.toFixed(2)}× (goal ≥ 1.20) ${vsFlexible >= 1.2 ? 'met' : 'MISSED'}` +
    `\nvs bare EVALSHA floor:    ${vsFloor.toFixed(2)}× (goal ≥ 0.85) ${vsFloor >= 0.85 ? 'met' : 'MISSED'}`,
);
redis.disconnect();
