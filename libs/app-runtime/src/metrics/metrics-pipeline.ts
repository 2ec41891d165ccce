import { metrics, type Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { observeProcess } from './process-metrics.js';

/** An app's metrics: the meter provider every library reports to, and its Prometheus text. */
export interface MetricsPipeline {
  /** A meter for the app's own instruments. */
  meter(name: string): Meter;
  /** Everything recorded so far, in the Prometheus text exposition format. */
  render(): Promise<string>;
  /** Stops collecting (and unregisters the global provider). */
  shutdown(): Promise<void>;
}

/**
 * Creates the OpenTelemetry metrics SDK with a pull (Prometheus) reader, registers it as the global
 * meter provider (so `@tses/*` libraries constructed afterwards report to it), and observes the
 * process (CPU, memory, event loop delay).
 *
 * @param options - `global: false` keeps it unregistered (tests that hold several at once).
 * @returns The pipeline.
 * @example
 * ```ts
 * const pipeline = createMetricsPipeline();
 * const text = await pipeline.render();
 * ```
 */
export function createMetricsPipeline(options: { readonly global?: boolean } = {}): MetricsPipeline {
  // Pull only: the app serves the text itself (its own port or behind a token), so the exporter's
  // own HTTP server, which listens on all interfaces, is never started.
  const reader = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [reader] });
  const serializer = new PrometheusSerializer(undefined, false, undefined, true);
  if (options.global !== false) metrics.setGlobalMeterProvider(provider);
  const stopProcess = observeProcess(provider.getMeter('@tses/app-runtime'));
  return {
    meter: (name) => provider.getMeter(name),
    async render() {
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      stopProcess();
      if (options.global !== false) metrics.disable();
      await provider.shutdown();
    },
  };
}
