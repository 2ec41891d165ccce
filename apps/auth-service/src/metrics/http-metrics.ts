import type { Meter } from '@opentelemetry/api';
import type { Middleware } from 'koa';

/** Options of {@link httpMetrics}. */
export interface HttpMetricsOptions {
  readonly meter: Meter;
}

// OpenTelemetry's advised buckets for `http.server.request.duration`, in seconds.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * Records `http.server.request.duration` (seconds; its count is the request count) by method,
 * route template (the router's matched pattern, e.g. `/api/v1/audit/logs`, never the raw path,
 * so ids and query strings do not multiply series) and final status. Goes outside the error
 * handler, so it sees the status that was sent.
 *
 * @param options - The meter.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(httpMetrics({ meter }));
 * ```
 */
export function httpMetrics(options: HttpMetricsOptions): Middleware {
  const duration = options.meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: BUCKETS },
  });
  return async function httpMetrics(ctx, next) {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = ctx._matchedRoute;
      duration.record((performance.now() - start) / 1000, {
        'http.request.method': KNOWN_METHODS.has(ctx.method) ? ctx.method : '_OTHER',
        // Unmatched requests share one series: a scanner's random paths must not create more.
        'http.route': typeof route === 'string' ? route : 'unmatched',
        'http.response.status_code': ctx.status,
      });
    }
  };
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
