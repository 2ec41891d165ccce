import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { bearerMatches } from './bearer-token.js';
import type { MetricsPipeline } from './metrics-pipeline.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly pipeline: MetricsPipeline;
  readonly host: string;
  readonly port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
}

/**
 * Serves `GET /metrics` on a listener of its own (`METRICS_PORT`), apart from the app's port:
 * 404 for any other path, 405 for another method, 401 without the token when one is set.
 *
 * @param options - Pipeline, address and token.
 * @returns The listening server (close it on shutdown).
 * @example
 * ```ts
 * const server = await startMetricsServer({ pipeline, host: '127.0.0.1', port: 9464 });
 * ```
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<Server> {
  const { pipeline, token } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404).end();
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
    }
    pipeline.render().then(
      (text) =>
        res
          .writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE })
          .end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return server;
}

/**
 * The content type of the Prometheus text exposition format.
 *
 * @example
 * ```ts
 * ctx.type = PROMETHEUS_CONTENT_TYPE;
 * ```
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
