// The closing table of http.bench.ts: this run beside the recorded run of the code before
// `otp_issued` (before.json, measured with this same benchmark), and the goals. Ratios are each
// against the bare route of their own run; a recorded run is not this run, so compare CPU and
// Redis per request (which a busy machine blurs little) before req/s and p99 (which it blurs a lot).
import { readFileSync } from 'node:fs';

/** The figures of one scenario the table shows. */
export interface Figures {
  readonly rps: number;
  readonly p99: number;
  readonly serverCpuUs: number;
  readonly redisCpuUs?: number;
  readonly redisCommands?: number;
}

type Scenario = 'request' | 'verify' | 'refused';

interface Recorded {
  readonly note: string;
  readonly bare: Figures;
  readonly request: Figures;
  readonly verify: Figures;
  readonly refused: Figures;
}

const recorded = JSON.parse(readFileSync(new URL('./before.json', import.meta.url), 'utf8')) as Recorded;

const num = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));
const share = (part: Figures | undefined, bare: Figures | undefined) =>
  part === undefined || bare === undefined ? '—' : `${((part.rps / bare.rps) * 100).toFixed(1)}%`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'NOT met');

/**
 * Prints the before/after table and the goals.
 *
 * @param now - This run's bare route and scenarios (those that ran).
 */
export function printGoals(now: { bare?: Figures } & Partial<Record<Scenario, Figures>>): void {
  const rows: [string, Scenario][] = [
    ['POST /otp/request', 'request'],
    ['POST /otp/verify', 'verify'],
    ['refused flood (429)', 'refused'],
  ];
  const out = [
    '\nBefore (recorded, before.json) / after (this run); % of the bare route of the same run:',
    '| scenario | run | req/s | % of bare | p99 ms | service µs/req | Redis µs/req | Redis cmds/req |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, key] of rows) {
    const before = recorded[key];
    const after = now[key];
    out.push(
      `| ${name} | before | ${num(before.rps)} | ${share(before, recorded.bare)} | ${num(before.p99, 1)} | ${num(before.serverCpuUs)} | ${num(before.redisCpuUs)} | ${num(before.redisCommands, 1)} |`,
    );
    out.push(
      `| ${name} | after | ${num(after?.rps)} | ${share(after, now.bare)} | ${num(after?.p99, 1)} | ${num(after?.serverCpuUs)} | ${num(after?.redisCpuUs)} | ${num(after?.redisCommands, 1)} |`,
    );
  }
  out.push(
    `| bare Koa route | before | ${num(recorded.bare.rps)} | 100% | ${num(recorded.bare.p99, 1)} | ${num(recorded.bare.serverCpuUs)} | 0 | 0 |`,
    `| bare Koa route | after | ${num(now.bare?.rps)} | 100% | ${num(now.bare?.p99, 1)} | ${num(now.bare?.serverCpuUs)} | 0 | 0 |`,
  );
  const r = now.request;
  const halved = (field: 'redisCpuUs' | 'redisCommands') =>
    r === undefined ? undefined : (r[field] ?? Infinity) <= (recorded.request[field] ?? 0) / 2;
  const ofBare = (part: Figures | undefined, goal: number) =>
    part === undefined || now.bare === undefined ? undefined : part.rps / now.bare.rps >= goal;
  out.push(
    '\nGoals:',
    `  /otp/request Redis CPU per request halved (≤ ${num((recorded.request.redisCpuUs ?? 0) / 2)} µs): ${verdict(halved('redisCpuUs'))}`,
    `  /otp/request Redis commands per request halved (≤ ${num((recorded.request.redisCommands ?? 0) / 2, 1)}): ${verdict(halved('redisCommands'))}`,
    `  /otp/request service CPU ≤ 200 µs per request: ${verdict(r && r.serverCpuUs <= 200)}`,
    `  /otp/request ≥ 35% of bare: ${verdict(ofBare(r, 0.35))}`,
    `  /otp/request p99 < 50 ms: ${verdict(r && r.p99 < 50)}`,
    `  /otp/verify p99 < 50 ms: ${verdict(now.verify && now.verify.p99 < 50)} (CPU per request above)`,
    `  refused flood ≥ 70% of bare: ${verdict(ofBare(now.refused, 0.7))}`,
    `\n  before: ${recorded.note}`,
  );
  console.log(out.join('\n'));
}
