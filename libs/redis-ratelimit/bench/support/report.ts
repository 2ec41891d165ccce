// The bench's tables: per scenario, each contender's medians over the rounds (and the spread of
// its ops/s), then ratios against named baselines, each the median of per-round ratios.
import { cpus, loadavg } from 'node:os';
import type { Contender, Round } from './measure.ts';

/** "a ÷ b", with an optional goal for the median. */
export interface Ratio {
  readonly label: string;
  readonly a: Contender;
  readonly b: Contender;
  readonly goal?: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const load = (): string => {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
  return `${one} ${five} ${fifteen} (1/5/15 min, ${cpus().length} CPUs)`;
};

const fixed = (n: number, digits = 2): string => (Number.isNaN(n) ? '—' : n.toFixed(digits));

export function label(c: Contender): string {
  return `${c.name} (${c.client})`;
}

/** Prints one scenario's table and ratios; returns the ratios' medians by label (for BENCH_JSON). */
export function report(
  title: string,
  rounds: ReadonlyMap<Contender, Round[]>,
  ratios: readonly Ratio[],
): Record<string, unknown> {
  const of = (c: Contender, metric: keyof Round) => rounds.get(c)!.map((r) => r[metric]);
  const columns = [
    'contender',
    'ops/s',
    'min–max',
    'p50 ms',
    'p99 ms',
    'node µs',
    'redis µs',
    'cmds',
    'wrong',
  ];
  const widths = [66, 9, 17, 7, 7, 8, 9, 6, 6];
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' ');
  const n = [...rounds.values()][0]?.length ?? 0;
  console.log(`\n## ${title} (median of ${n} rounds)\n${row(columns)}`);
  const table: Record<string, unknown> = {};
  for (const [c] of rounds) {
    const ops = of(c, 'opsPerSec');
    const cells = {
      opsPerSec: median(ops),
      min: Math.min(...ops),
      max: Math.max(...ops),
      p50: median(of(c, 'p50')),
      p99: median(of(c, 'p99')),
      nodeUs: median(of(c, 'nodeUs')),
      redisUs: median(of(c, 'redisUs')),
      redisCmds: median(of(c, 'redisCmds')),
      wrong: c.wrong,
    };
    table[label(c)] = { ...cells, rounds: ops.map(Math.round) };
    console.log(
      row([
        label(c),
        String(Math.round(cells.opsPerSec)),
        `${Math.round(cells.min)}–${Math.round(cells.max)}`,
        fixed(cells.p50, 3),
        fixed(cells.p99, 3),
        fixed(cells.nodeUs),
        fixed(cells.redisUs),
        fixed(cells.redisCmds, 3),
        String(c.wrong),
      ]),
    );
  }
  const ratioValues: Record<string, unknown> = {};
  for (const { label: name, a, b, goal } of ratios) {
    const per = of(a, 'opsPerSec').map((ops, i) => ops / of(b, 'opsPerSec')[i]!);
    const m = median(per);
    ratioValues[name] = { median: m, rounds: per };
    const verdict = goal === undefined ? '' : ` · goal ≥ ${goal.toFixed(2)}: ${m >= goal ? 'met' : 'MISSED'}`;
    console.log(
      `${name.padEnd(72)} ${m.toFixed(2)}× (rounds ${Math.min(...per).toFixed(2)}–${Math.max(...per).toFixed(2)})${verdict}`,
    );
  }
  return { table, ratios: ratioValues };
}
