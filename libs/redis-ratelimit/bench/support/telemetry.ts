// The telemetry scenario: what reporting costs `consume` on the allowed path, three limiters on
// the same Redis side by side: reporting off (`telemetry: false`, the baseline), the default when
// the app has `@opentelemetry/api` but registered no SDK (its no-op meter: the goal is < 5 %), the
// plain `onDecision` hook alone (the reporting wrapper without OpenTelemetry), and the OpenTelemetry
// metrics SDK recording every decision and store latency (a reader attached, collected once at the
// end as a scrape would).
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Redis } from 'ioredis';
import type { RateLimiter } from '@tses/redis-ratelimit';
import type { Contender } from './measure.ts';
import type { Ratio } from './report.ts';
import { ALLOWED_KEYS } from './scenarios.ts';

/** A reader collected once at the end, as a scrape would (no timer). */
export class ScrapeReader extends MetricReader {
  async onForceFlush(): Promise<void> {}
  async onShutdown(): Promise<void> {}
}

const RULE = { name: 'bench', limit: 1_000_000_000, windowMs: 600_000 };

/** The three contenders (ioredis, one connection each) and their ratios against reporting off. */
export async function telemetryContenders(
  Limiter: typeof RateLimiter,
  connect: () => Promise<Redis>,
  tag: string,
): Promise<{ contenders: Contender[]; ratios: Ratio[]; close(): Promise<void> }> {
  const reader = new ScrapeReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const make = async (
    name: string,
    telemetry: object | false | undefined,
    extra: object = {},
  ): Promise<Contender> => {
    const limiter = new Limiter({
      redis: await connect(),
      keyPrefix: `bench:${tag}:tel:${name.replace(/\W+/g, '-')}:`,
      failureMode: 'throw',
      ...(telemetry === undefined ? {} : { telemetry }),
      ...extra,
    });
    return {
      name: `@tses/redis-ratelimit, ${name}`,
      client: 'ioredis',
      op: (i) => limiter.consume(`k${i % ALLOWED_KEYS}`, RULE),
      outcome: (d) => ((d as { allowed: boolean }).allowed ? 'allowed' : 'denied'),
      wrong: 0,
    };
  };
  const off = await make('reporting off', false);
  const noop = await make('no-op API (default, no SDK)', undefined);
  const sdk = await make('metrics SDK', { meterProvider });
  let decisions = 0;
  const hook = await make('onDecision hook', false, { onDecision: () => decisions++ });
  return {
    contenders: [off, noop, hook, sdk],
    ratios: [
      { label: 'no-op API ÷ reporting off', a: noop, b: off, goal: 0.95 },
      { label: 'onDecision hook ÷ reporting off', a: hook, b: off },
      { label: 'metrics SDK ÷ reporting off', a: sdk, b: off },
    ],
    async close() {
      const { resourceMetrics } = await reader.collect();
      const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).length;
      console.log(`metrics SDK: ${points} instruments collected at the end · onDecision: ${decisions} calls`);
      await meterProvider.shutdown();
    },
  };
}
