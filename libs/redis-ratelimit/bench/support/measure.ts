// One measured round of one contender: a closed loop of `concurrency` callers making `ops` calls,
// timed per call, with this process's CPU and the Redis servers' CPU and commands over the round.
import type { Redis } from 'ioredis';

/** What a decision looked like: the scenario says which kind every call must get. */
export type Outcome = 'allowed' | 'denied';

/** One configuration under test. */
export interface Contender {
  /** e.g. `@tses/redis-ratelimit, shield`. */
  readonly name: string;
  /** The Redis client it runs on (`redis-benchmark` runs in its own process). */
  readonly client: 'ioredis' | 'node-redis' | 'redis-benchmark';
  /** Call number `i` (the scenario maps it to a key), exactly as an application makes it. */
  readonly op?: (i: number) => Promise<unknown>;
  /** A run in another process instead of `op` (redis-benchmark). */
  readonly external?: (ops: number) => Promise<ExternalRun>;
  /** What a result was; `rejected` for a rejection that is not an Error (rate-limiter-flexible's denial). */
  readonly outcome?: (result: unknown, rejected: boolean) => Outcome;
  /** Calls that got the other outcome than the scenario's (must stay 0). */
  wrong: number;
}

/** What a run in another process reports. */
export interface ExternalRun {
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
}

export interface Round {
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  /** This process's CPU per call (µs); NaN for an external run. */
  readonly nodeUs: number;
  /** The Redis servers' CPU per call (µs): the whole servers, other clients included. */
  readonly redisUs: number;
  /** Commands Redis ran per call (EVALSHA, EVAL, MULTI/EXEC parts…), scripts' inner calls excluded. */
  readonly redisCmds: number;
}

interface RedisReading {
  readonly cpuSeconds: number;
  readonly commands: number;
}

/** CPU seconds and commands so far, summed over `servers`. */
async function readRedis(servers: readonly Redis[]): Promise<RedisReading> {
  let cpuSeconds = 0;
  let commands = 0;
  for (const server of servers) {
    const [cpu, stats] = await Promise.all([server.info('cpu'), server.info('commandstats')]);
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? NaN);
    cpuSeconds += field('used_cpu_user') + field('used_cpu_sys');
    // Commands a script runs are counted by Redis too (as `cmdstat_incr` …); only what clients
    // sent counts here: every command except those scripts run and the bench's own INFO.
    for (const match of stats.matchAll(/^cmdstat_([\w|-]+):calls=(\d+)/gm)) {
      if (!INNER.has(match[1]!)) commands += Number(match[2]);
    }
  }
  return { cpuSeconds, commands };
}

/** Commands only ever run inside the scripts (or by the bench itself), not sent by a contender. */
const INNER = new Set(['info', 'incr', 'incrby', 'decr', 'decrby', 'pexpire', 'pttl', 'get', 'expire']);

/** Measures `ops` calls of `c` at `concurrency`, against `servers` for Redis's share. */
export async function measure(
  c: Contender,
  ops: number,
  concurrency: number,
  expected: Outcome,
  servers: readonly Redis[],
): Promise<Round> {
  const before = await readRedis(servers);
  if (c.external !== undefined) {
    const run = await c.external(ops);
    const after = await readRedis(servers);
    return {
      ...run,
      nodeUs: NaN,
      redisUs: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / ops,
      redisCmds: (after.commands - before.commands) / ops,
    };
  }
  const op = c.op!;
  const outcome = c.outcome!;
  const latencies = new Float64Array(ops);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ops; i = next++) {
      const t = performance.now();
      let result: Outcome;
      try {
        result = outcome(await op(i), false);
      } catch (reason) {
        if (reason instanceof Error) throw reason;
        result = outcome(reason, true);
      }
      latencies[i] = performance.now() - t;
      if (result !== expected) c.wrong++;
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = await readRedis(servers);
  latencies.sort();
  return {
    opsPerSec: ops / seconds,
    p50: latencies[Math.floor(ops * 0.5)]!,
    p99: latencies[Math.floor(ops * 0.99)]!,
    nodeUs: (used.user + used.system) / ops,
    redisUs: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / ops,
    redisCmds: (after.commands - before.commands) / ops,
  };
}
