import type { Meter } from '@opentelemetry/api';

/**
 * What the app needs to report about itself: a meter for its HTTP instruments and, when
 * `GET /metrics` is served on the app's own port, how to render it and the bearer token it needs.
 *
 * @example
 * ```ts
 * const metrics: ServiceMetrics = { meter: pipeline.meter('@tses/auth-service'), endpoint: { render: () => pipeline.render(), token } };
 * ```
 */
export interface ServiceMetrics {
  readonly meter: Meter;
  /** Present when `/metrics` is served on the app's port (`METRICS_TOKEN` without `METRICS_PORT`). */
  readonly endpoint?: {
    readonly render: () => Promise<string>;
    readonly token: string;
  };
}
