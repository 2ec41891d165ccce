// The telemetry foundation: nothing to report to (the API's no-op providers, or `false`) means no
// Telemetry at all, so an instrumented call costs one check; a registered or given SDK is used;
// spans only inside a recording trace, with `error.type` on a rejection.
import { context, metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { errorType, Telemetry } from '@tses/core';
import { enableContext, otelTestKit } from '../../../scripts/test-support/otel.mjs';

describe('Telemetry.create', () => {
  it('is undefined while the API has no SDK registered, and with telemetry: false', async () => {
    expect(Telemetry.create('@tses/test', '0.0.0', undefined)).toBeUndefined();
    const kit = otelTestKit();
    expect(Telemetry.create('@tses/test', '0.0.0', false)).toBeUndefined();
    expect(Telemetry.create('@tses/test', '0.0.0', { meterProvider: kit.meterProvider })).toBeInstanceOf(
      Telemetry,
    );
    metrics.setGlobalMeterProvider(kit.meterProvider);
    try {
      const global = Telemetry.create('@tses/test', '0.0.0', undefined);
      expect(global).toBeInstanceOf(Telemetry);
      global!.meter.createCounter('tses.test.calls').add(2);
      const points = await kit.points();
      expect(points).toEqual([
        expect.objectContaining({ scope: '@tses/test', name: 'tses.test.calls', value: 2 }),
      ]);
      expect(Telemetry.create('@tses/test', '0.0.0', false)).toBeUndefined();
    } finally {
      metrics.disable();
      await kit.shutdown();
    }
  });
});

describe('Telemetry.traced', () => {
  it('makes a client span only inside a recording trace, with error.type on a rejection', async () => {
    enableContext();
    const kit = otelTestKit();
    const telemetry = Telemetry.create('@tses/test', '0.0.0', { tracerProvider: kit.tracerProvider })!;
    expect(await telemetry.traced('outside', {}, async () => 1)).toBe(1);
    const parent = kit.tracerProvider.getTracer('t').startSpan('parent');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      expect(await telemetry.traced('store ok', { 'db.system.name': 'redis' }, async () => 2)).toBe(2);
      await expect(
        telemetry.traced('store fails', {}, () => Promise.reject(new RangeError('no'))),
      ).rejects.toThrow(RangeError);
    });
    parent.end();
    const spans = kit.spans().filter((s) => s.name !== 'parent');
    expect(spans.map((s) => [s.name, s.attributes, s.status])).toEqual([
      ['store ok', { 'db.system.name': 'redis' }, 0],
      ['store fails', { 'error.type': 'RangeError' }, 2],
    ]);
    expect(spans.every((s) => s.parentSpanId === parent.spanContext().spanId)).toBe(true);
    await kit.shutdown();
  });

  it('errorType is the class name, never the message', () => {
    expect(errorType(new TypeError('secret@example.com'))).toBe('TypeError');
    expect(errorType('x')).toBe('_OTHER');
  });
});
