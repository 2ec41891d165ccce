// The telemetry scenarios: what reporting costs one call, side by side on the same Redis, four
// instances each on its own connection: reporting off (`telemetry: false`, the baseline), the
// default when the app has `@opentelemetry/api` but registered no SDK (its no-op meter: the goal is
// < 5 %), the plain hook alone (the reporting wrapper without OpenTelemetry), and the OpenTelemetry
// metrics SDK recording every call and store latency (a reader attached, collected once at the
// end as a scrape would). Measured on the limiter's `consume` (allowed path) and on the lockout's
// `check` (open subjects: its cheapest call, so the wrapper's share is at its largest).
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Redis } from 'ioredis';
import type { Lockout, RateLimiter } from '@tses/redis-ratelimit';
import type { Contender } from './measure.ts';
import type { Ratio } from './report.ts';
import { ALLOWED_KEYS } from './scenarios.ts';

/** A reader collected once at the end, as a scrape would (no timer). */
class ScrapeReader extends MetricReader {
  async onForceFlush(): Promise<void> {}
  async onShutdown(): Promise<void> {}
}

const RULE = { name: 'bench', limit: 1_000_000_000, windowMs: 600_000 };
const POLICY = { maxFailures: 5, windowMs: 600_000 };

interface Reported {
  /** Prefix of the ratio labels, e.g. `lockout`. */
  readonly label: string;
  /** The option naming the plain hook: `onDecision` or `onLockoutEvent`. */
  readonly hook: string;
  /** One contender of the measured call, built with these reporting options. */
  contender(name: string, options: object): Promise<Contender>;
}

/** The four contenders and their ratios against reporting off. */
async function reportingContenders(
  subject: Reported,
): Promise<{ contenders: Contender[]; ratios: Ratio[]; close(): Promise<void> }> {
  const reader = new ScrapeReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  let calls = 0;
  const off = await subject.contender('reporting off', { telemetry: false });
  const noop = await subject.contender('no-op API (default, no SDK)', {});
  const hook = await subject.contender(`${subject.hook} hook`, {
    telemetry: false,
    [subject.hook]: () => calls++,
  });
  const sdk = await subject.contender('metrics SDK', { telemetry: { meterProvider } });
  const label = subject.label === '' ? '' : `${subject.label} `;
  return {
    contenders: [off, noop, hook, sdk],
    ratios: [
      { label: `${label}no-op API ÷ reporting off`, a: noop, b: off, goal: 0.95 },
      { label: `${label}${subject.hook} hook ÷ reporting off`, a: hook, b: off },
      { label: `${label}metrics SDK ÷ reporting off`, a: sdk, b: off },
    ],
    async close() {
      const { resourceMetrics } = await reader.collect();
      const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).length;
      console.log(
        `${label}metrics SDK: ${points} instruments collected at the end · ${subject.hook}: ${calls} calls`,
      );
      await meterProvider.shutdown();
    },
  };
}

/** The limiter's `consume` under each kind of reporting (ioredis, one connection each). */
export function telemetryContenders(
  Limiter: typeof RateLimiter,
  connect: () => Promise<Redis>,
  tag: string,
): ReturnType<typeof reportingContenders> {
  return reportingContenders({
    label: '',
    hook: 'onDecision',
    async contender(name, options) {
      const limiter = new Limiter({
        redis: await connect(),
        keyPrefix: `bench:${tag}:tel:${name.replace(/\W+/g, '-')}:`,
        failureMode: 'throw',
        ...options,
      });
      return {
        name: `@tses/redis-ratelimit, ${name}`,
        client: 'ioredis',
        op: (i) => limiter.consume(`k${i % ALLOWED_KEYS}`, RULE),
        outcome: (d) => ((d as { allowed: boolean }).allowed ? 'allowed' : 'denied'),
        wrong: 0,
      };
    },
  });
}

/** The lockout's `check` under each kind of reporting (ioredis, one connection each). */
export function lockoutTelemetryContenders(
  LockoutClass: typeof Lockout,
  connect: () => Promise<Redis>,
  tag: string,
): ReturnType<typeof reportingContenders> {
  return reportingContenders({
    label: 'lockout',
    hook: 'onLockoutEvent',
    async contender(name, options) {
      const lockout = new LockoutClass({
        redis: await connect(),
        keyPrefix: `bench:${tag}:lock:${name.replace(/\W+/g, '-')}:`,
        failureMode: 'throw',
        name: 'bench',
        ...options,
      });
      return {
        name: `Lockout#check, ${name}`,
        client: 'ioredis',
        op: (i) => lockout.check(`k${i % ALLOWED_KEYS}`, POLICY),
        outcome: (s) => ((s as { locked: boolean }).locked ? 'denied' : 'allowed'),
        wrong: 0,
      };
    },
  });
}
