import { bearerMatches, PROMETHEUS_CONTENT_TYPE } from '@tses/app-runtime';
import type { Middleware } from 'koa';
import { UnauthorizedProblem } from '../errors/auth-problems.js';

/** Options of {@link metricsEndpoint}. */
export interface MetricsEndpointOptions {
  readonly render: () => Promise<string>;
  /** The bearer token a scrape must send (`METRICS_TOKEN`). */
  readonly token: string;
}

/**
 * `GET /metrics` on the app's port, for a scraper holding `METRICS_TOKEN` (compared in constant
 * time); anyone else gets the service's 401 problem. Other methods fall through to the 405 the
 * router gives unknown routes.
 *
 * @param options - The renderer and the token.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(metricsEndpoint({ render: () => pipeline.render(), token: config.METRICS_TOKEN }));
 * ```
 */
export function metricsEndpoint(options: MetricsEndpointOptions): Middleware {
  return async function metricsEndpoint(ctx, next) {
    if (ctx.path !== '/metrics' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx._matchedRoute = '/metrics';
    if (!bearerMatches(ctx.get('Authorization') || undefined, options.token)) {
      throw new UnauthorizedProblem('missing_token', 'GET /metrics requires the metrics bearer token.');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = PROMETHEUS_CONTENT_TYPE;
    ctx.body = await options.render();
  };
}
