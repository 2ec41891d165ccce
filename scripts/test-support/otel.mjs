// OpenTelemetry SDK pieces for tests: a meter provider read on demand, a tracer provider that keeps
// finished spans in memory, and readers that turn what was recorded into plain values to assert.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** A reader collected only when a test asks (no timer). */
class OnDemandReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

let contextManager;

/** Registers an AsyncLocalStorage context manager once, so an active span survives `await`. */
export function enableContext() {
  if (contextManager === undefined) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
  }
}

/** A fresh SDK: `meterProvider`, `tracerProvider`, and what they recorded. */
export function otelTestKit() {
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return {
    meterProvider,
    tracerProvider,
    /** Every data point recorded so far: `{ name, unit, attributes, value }` (value: sum, or histogram count). */
    async points() {
      const { resourceMetrics } = await reader.collect();
      const out = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) {
            const value = typeof point.value === 'number' ? point.value : point.value.count;
            out.push({
              scope: scope.scope.name,
              name: metric.descriptor.name,
              unit: metric.descriptor.unit,
              attributes: { ...point.attributes },
              value,
            });
          }
        }
      }
      return out;
    },
    /** Finished spans: `{ name, kind, attributes, parentSpanId, traceId, status }`. */
    spans() {
      return exporter.getFinishedSpans().map((s) => ({
        name: s.name,
        kind: s.kind,
        attributes: { ...s.attributes },
        traceId: s.spanContext().traceId,
        parentSpanId: s.parentSpanContext?.spanId,
        status: s.status.code,
      }));
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/**
 * The sum of the points named `name` whose attributes include `match` (0 when none).
 */
export function sumOf(points, name, match = {}) {
  return points
    .filter((p) => p.name === name && Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((total, p) => total + p.value, 0);
}

/** Every attribute value of every point and span, as strings: to scan for personal data. */
export function attributeValues(points, spans) {
  return [...points, ...spans].flatMap((x) => Object.values(x.attributes).map(String));
}
