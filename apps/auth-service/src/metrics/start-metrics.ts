import type { Server } from 'node:http';
import { createMetricsPipeline, metricsMode, startMetricsServer, type MetricsEnv } from '@tses/app-runtime';
import type { ServiceMetrics } from './service-metrics.js';

/** The service's metrics as configured: what the app reports to, and how to stop. */
export interface StartedMetrics {
  /** For `createApp` (absent when metrics are off). */
  readonly metrics: ServiceMetrics | undefined;
  close(): Promise<void>;
}

/**
 * Starts metrics per `METRICS_*`: off; on a listener of its own (`METRICS_PORT`); or on the app's
 * port behind `METRICS_TOKEN`. Call before building the runtime: the libraries take their meters
 * from the global provider registered here when they are constructed.
 *
 * @param env - The validated metrics variables.
 * @returns The metrics for the app and a `close`.
 * @example
 * ```ts
 * const started = await startServiceMetrics(config);
 * const { app } = createApp({ ...runtime.deps, metrics: started.metrics });
 * ```
 */
export async function startServiceMetrics(env: MetricsEnv): Promise<StartedMetrics> {
  const mode = metricsMode(env);
  if (mode === 'off') return { metrics: undefined, close: async () => undefined };
  const pipeline = createMetricsPipeline();
  const meter = pipeline.meter('@tses/auth-service');
  let server: Server | undefined;
  if (mode === 'port') {
    server = await startMetricsServer({
      pipeline,
      host: env.METRICS_HOST,
      port: env.METRICS_PORT!,
      token: env.METRICS_TOKEN,
    });
  }
  const metrics: ServiceMetrics =
    mode === 'app'
      ? { meter, endpoint: { render: () => pipeline.render(), token: env.METRICS_TOKEN! } }
      : { meter };
  return {
    metrics,
    async close() {
      if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
      await pipeline.shutdown();
    },
  };
}
