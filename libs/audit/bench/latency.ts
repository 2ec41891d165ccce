// Latency sampling for the benchmark: each query runs after one warm-up until it has 500 samples,
// or for at least `budgetMs` and `minRuns` samples when it is slow; p50/p99 by nearest rank.
import { performance } from 'node:perf_hooks';

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly runs: number;
}

const MAX_RUNS = 500;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs `run` repeatedly (after one warm-up) and returns its p50 and p99 in milliseconds. */
export async function sample(run: () => Promise<unknown>, budgetMs = 1_500, minRuns = 5): Promise<Latency> {
  await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < MAX_RUNS && (times.length < minRuns || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const sorted = times.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), runs: sorted.length };
}

/** `12.3` for milliseconds below 1 000, `1,234` above; `—` for nothing measured. */
export function ms(value: number | undefined): string {
  if (value === undefined) return '—';
  return value < 1_000 ? value.toFixed(value < 10 ? 2 : 1) : Math.round(value).toLocaleString('en');
}

/** Prints rows as a fixed-width table: the first `left` columns left-aligned, the others right-aligned. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[], left = 1): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
