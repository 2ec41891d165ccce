// The allowed path on a Redis Cluster: what each way of sending a tick's calls together is worth.
// On a Cluster one script can only carry keys of one slot, so coalescing gives one script per
// slot; the other way is one socket write per node for the tick's commands (node-redis always
// does it; the ioredis adapter does it with `enableAutoPipelining`, corking each primary's socket).
// Contenders, per client: ours with and without coalescing, the bare EVALSHA one per call; on
// ioredis each with and without `enableAutoPipelining`. Two key sets: 10,000 keys (a tick's calls
// spread over many slots) and 10,000 keys over 16 hash tags (`{u3}:k42`: calls share slots).
// Run: npm run build -w @tses/redis-ratelimit && REDIS_CLUSTER_NODES=127.0.0.1:7101,… node bench/cluster.bench.ts
// Env: BENCH_ROUNDS, BENCH_OPS, BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_JSON=<file>.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { createCluster } from 'redis';
import {
  defineRedisScripts,
  RateLimiter,
  rateLimitClusterOptions,
  VERSION,
  type RateLimitDecision,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { measure, type Contender, type Outcome, type Round } from './support/measure.ts';
import { load, report } from './support/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const OPS = Number(process.env.BENCH_OPS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20_000);
const nodes = (process.env.REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean);
if (nodes.length === 0)
  throw new Error('Set REDIS_CLUSTER_NODES=host:port,… (scripts/redis-cluster.sh start)');
const startup = nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) }));

const tag = randomUUID().slice(0, 8);
const closers: (() => unknown)[] = [];
const rule = { limit: 1_000_000_000, windowMs: 60_000 };
const { consumeWindow } = defineRedisScripts(new URL('../dist/commands/', import.meta.url), VERSION, {
  consumeWindow: 1,
});
const keySets = {
  spread: (i: number) => `k${i % 10_000}`,
  tagged: (i: number) => `{u${i % 16}}:k${i % 10_000}`,
};

// The bare EVALSHA's client keeps ioredis's defaults (an offline queue while node connections open).
const ioredis = async (
  autopipelining: boolean,
  options: object = rateLimitClusterOptions,
): Promise<Cluster> => {
  const cluster = new Cluster(startup, { ...options, enableAutoPipelining: autopipelining });
  cluster.on('error', () => undefined);
  closers.push(() => cluster.disconnect());
  await new Promise((resolve) => cluster.once('ready', resolve));
  return cluster;
};
const nodeRedis = async () => {
  const cluster = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://${n}` })) });
  cluster.on('error', () => undefined);
  closers.push(() => cluster.destroy());
  await cluster.connect();
  return cluster;
};
const admins = startup.map(({ host, port }) => {
  const admin = new Redis(port, host);
  closers.push(() => admin.disconnect());
  return admin;
});

const decided = (d: unknown): Outcome => ((d as RateLimitDecision).allowed ? 'allowed' : 'denied');
const replied = (n: unknown): Outcome => ((n as number) < 0 ? 'denied' : 'allowed');
let n = 0;
const ours = (redis: RedisClient, coalesce: boolean) =>
  new RateLimiter({
    redis,
    keyPrefix: `bench:${tag}:${n++}:`,
    failureMode: 'throw',
    timeoutMs: 5000,
    coalesce,
  });

async function contenders(key: (i: number) => string): Promise<Contender[]> {
  const list: Contender[] = [];
  for (const autopipelining of [true, false]) {
    const suffix = autopipelining ? 'enableAutoPipelining' : 'no autopipelining';
    for (const coalesce of [true, false]) {
      const limiter = ours(await ioredis(autopipelining), coalesce);
      list.push({
        name: `ours, coalesce: ${coalesce}, ${suffix}`,
        client: 'ioredis',
        op: (i) => limiter.consume(key(i), rule),
        outcome: decided,
        wrong: 0,
      });
    }
    const bare = await ioredis(autopipelining, {});
    bare.defineCommand('benchScript', { numberOfKeys: 1, lua: consumeWindow.lua });
    const send = bare as unknown as { benchScript(k: string, l: string, w: string): Promise<unknown> };
    const prefix = `bench:${tag}:${n++}:`;
    list.push({
      name: `bare EVALSHA, ${suffix}`,
      client: 'ioredis',
      op: (i) => send.benchScript(prefix + key(i), String(rule.limit), String(rule.windowMs)),
      outcome: replied,
      wrong: 0,
    });
  }
  for (const coalesce of [true, false]) {
    const limiter = ours((await nodeRedis()) as unknown as RedisClient, coalesce);
    list.push({
      name: `ours, coalesce: ${coalesce}`,
      client: 'node-redis',
      op: (i) => limiter.consume(key(i), rule),
      outcome: decided,
      wrong: 0,
    });
  }
  const bare = await nodeRedis();
  const prefix = `bench:${tag}:${n++}:`;
  const shas = new Set<string>();
  list.push({
    name: 'bare EVALSHA',
    client: 'node-redis',
    op: async (i) => {
      const k = prefix + key(i);
      const argv = ['EVALSHA', consumeWindow.sha, '1', k, String(rule.limit), String(rule.windowMs)];
      try {
        return await bare.sendCommand(k, false, argv);
      } catch (error) {
        // First call on a node: load the script there, once.
        if (!String(error).includes('NOSCRIPT') || shas.has(k)) throw error;
        shas.add(k);
        await bare.sendCommand(k, false, ['SCRIPT', 'LOAD', consumeWindow.lua]);
        return bare.sendCommand(k, false, argv);
      }
    },
    outcome: replied,
    wrong: 0,
  });
  return list;
}

console.log(
  `cluster benchmark · node ${process.version} · ${nodes.length} primaries at ${nodes.join(',')} · ` +
    `${CONCURRENCY} in flight · ${OPS} calls × ${ROUNDS} rounds, interleaved · load average ${load()}`,
);
const results: Record<string, unknown> = {};
for (const [name, key] of Object.entries(keySets)) {
  const list = await contenders(key);
  for (const c of list) await measure(c, WARMUP, CONCURRENCY, 'allowed', admins);
  for (const c of list) c.wrong = 0;
  const rounds = new Map<Contender, Round[]>(list.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < list.length; i++) {
      const c = list[(round + i) % list.length]!;
      rounds.get(c)!.push(await measure(c, OPS, CONCURRENCY, 'allowed', admins));
    }
  }
  const title = name === 'spread' ? 'allowed, 10,000 keys' : 'allowed, 10,000 keys over 16 hash tags';
  results[title] = report(title, rounds, [
    { label: 'ours coalesce ÷ bare, enableAutoPipelining (ioredis)', a: list[0]!, b: list[2]! },
    { label: 'ours coalesce ÷ no coalesce, enableAutoPipelining (ioredis)', a: list[0]!, b: list[1]! },
    { label: 'ours coalesce ÷ no coalesce, no autopipelining (ioredis)', a: list[3]!, b: list[4]! },
    { label: 'ours no coalesce: autopipelining ÷ none (ioredis)', a: list[1]!, b: list[4]! },
    { label: 'ours coalesce ÷ no coalesce (node-redis)', a: list[6]!, b: list[7]! },
    { label: 'ours coalesce ÷ bare (node-redis)', a: list[6]!, b: list[8]! },
  ]);
}
console.log(`load average at end: ${load()}`);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
for (const close of closers) close();
