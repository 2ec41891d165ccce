// The Redis ceiling for the limiter's script: `redis-benchmark` (Redis's own C client) sending the
// same `EVALSHA consumeWindow-1.lua` over 10,000 keys, one command per round trip and 16 per round
// trip, at the same number of commands in flight as the contenders. It measures EVALSHAs per
// second: the most one-script-per-call limiters could reach on this Redis, and what a pipelined
// client reaches. Coalesced calls are not EVALSHAs one for one (one script carries many calls).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Contender, ExternalRun } from './measure.ts';

const run = promisify(execFile);

export interface CeilingOptions {
  readonly host: string;
  readonly port: number;
  readonly sha: string;
  readonly keyPrefix: string;
  readonly keys: number;
  /** Commands in flight in all: connections × pipeline depth. */
  readonly inFlight: number;
  readonly limit: string;
  readonly windowMs: string;
}

/** Whether `redis-benchmark` is on the PATH. */
export async function hasRedisBenchmark(): Promise<boolean> {
  try {
    await run('redis-benchmark', ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function redisBenchmark(options: CeilingOptions, pipeline: number, ops: number): Promise<ExternalRun> {
  const clients = Math.max(1, Math.round(options.inFlight / pipeline));
  const args = [
    ...['-h', options.host, '-p', String(options.port), '-n', String(ops), '-c', String(clients)],
    ...['-P', String(pipeline), '-r', String(options.keys), '--csv'],
    ...['evalsha', options.sha, '1', `${options.keyPrefix}__rand_int__`, options.limit, options.windowMs],
  ];
  const { stdout } = await run('redis-benchmark', args, { maxBuffer: 1 << 20 });
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",…
  const row = stdout.trim().split('\n').at(-1)?.split('","') ?? [];
  const opsPerSec = Number(row[1]);
  if (!Number.isFinite(opsPerSec)) throw new Error(`redis-benchmark said: ${stdout.slice(-300)}`);
  return { opsPerSec, p50: Number(row[4]), p99: Number(row[6]) };
}

/** The two ceiling contenders: unpipelined and 16 commands per round trip. */
export function ceilingContenders(options: CeilingOptions): Contender[] {
  return [1, 16].map((pipeline) => ({
    name: `redis-benchmark EVALSHA, ${pipeline === 1 ? 'unpipelined' : `-P ${pipeline}`}`,
    client: 'redis-benchmark' as const,
    external: (ops: number) => redisBenchmark(options, pipeline, ops),
    wrong: 0,
  }));
}
