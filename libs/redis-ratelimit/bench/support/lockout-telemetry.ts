// The lockout-telemetry scenario: what reporting costs `Lockout#check` (the cheapest lockout
// call, so the wrapper's share is at its largest) on open subjects, four lockouts on the same
// Redis side by side: reporting off (`telemetry: false`, the baseline), the default with
// `@opentelemetry/api` and no SDK, the plain `onLockoutEvent` hook alone, and the metrics SDK.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { Redis } from 'ioredis';
import { Lockout } from '@tses/redis-ratelimit';
import type { Contender } from './measure.ts';
import type { Ratio } from './report.ts';
import { ALLOWED_KEYS } from './scenarios.ts';
import { ScrapeReader } from './telemetry.ts';

const POLICY = { maxFailures: 5, windowMs: 600_000 };

/** The four contenders (ioredis, one connection each) and their ratios against reporting off. */
export async function lockoutTelemetryContenders(
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
    const lockout = new Lockout({
      redis: await connect(),
      keyPrefix: `bench:${tag}:lock:${name.replace(/\W+/g, '-')}:`,
      failureMode: 'throw',
      name: 'bench',
      ...(telemetry === undefined ? {} : { telemetry }),
      ...extra,
    });
    return {
      name: `Lockout#check, ${name}`,
      client: 'ioredis',
      op: (i) => lockout.check(`k${i % ALLOWED_KEYS}`, POLICY),
      outcome: (s) => ((s as { locked: boolean }).locked ? 'denied' : 'allowed'),
      wrong: 0,
    };
  };
  const off = await make('reporting off', false);
  const noop = await make('no-op API (default, no SDK)', undefined);
  const sdk = await make('metrics SDK', { meterProvider });
  let events = 0;
  const hook = await make('onLockoutEvent hook', false, { onLockoutEvent: () => events++ });
  return {
    contenders: [off, noop, hook, sdk],
    ratios: [
      { label: 'lockout no-op API ÷ reporting off', a: noop, b: off, goal: 0.95 },
      { label: 'lockout onLockoutEvent hook ÷ reporting off', a: hook, b: off },
      { label: 'lockout metrics SDK ÷ reporting off', a: sdk, b: off },
    ],
    async close() {
      const { resourceMetrics } = await reader.collect();
      const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).length;
      console.log(
        `lockout metrics SDK: ${points} instruments collected at the end · onLockoutEvent: ${events} calls`,
      );
      await meterProvider.shutdown();
    },
  };
}
