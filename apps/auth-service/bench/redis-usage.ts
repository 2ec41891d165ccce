// Redis's side of a bench run: CPU and commands per request from `INFO cpu` and
// `INFO commandstats` taken at the window's edges. Server-wide figures: anything else talking to
// the same Redis during the window is counted too, and commands run inside Lua scripts are counted
// both as themselves and inside their EVALSHA's time.
import type { Redis } from 'ioredis';

/** One `INFO` reading. */
export interface RedisSnapshot {
  /** `used_cpu_user + used_cpu_sys`, seconds. */
  readonly cpuSeconds: number;
  /** Per command: calls and total µs. */
  readonly commands: ReadonlyMap<string, { readonly calls: number; readonly usec: number }>;
}

/** Per-request Redis cost over a window. */
export interface RedisUsage {
  /** Redis CPU per request, µs. */
  readonly cpuUs: number;
  /** Commands per request (those inside scripts included). */
  readonly commands: number;
  /** The busiest commands: `name calls/req × µs/call`. */
  readonly top: string;
}

/** Reads Redis's CPU and command counters. */
export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const [cpu, stats] = await Promise.all([redis.info('cpu'), redis.info('commandstats')]);
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const match of stats.matchAll(/^cmdstat_([\w|-]+):calls=(\d+),usec=(\d+)/gm)) {
    commands.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return { cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), commands };
}

/** The difference of two readings, per request. */
export function redisUsage(before: RedisSnapshot, after: RedisSnapshot, requests: number): RedisUsage {
  const deltas: { name: string; calls: number; usec: number }[] = [];
  for (const [name, now] of after.commands) {
    const then = before.commands.get(name) ?? { calls: 0, usec: 0 };
    const calls = now.calls - then.calls;
    if (calls > 0 && name !== 'info') deltas.push({ name, calls, usec: now.usec - then.usec });
  }
  deltas.sort((a, b) => b.usec - a.usec);
  const commands = deltas.reduce((sum, d) => sum + d.calls, 0);
  return {
    cpuUs: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / requests,
    commands: commands / requests,
    top: deltas
      .filter((d) => d.calls / requests >= 0.01)
      .slice(0, 16)
      .map((d) => `${d.name} ${(d.calls / requests).toFixed(2)}×${(d.usec / d.calls).toFixed(1)}µs`)
      .join(', '),
  };
}
