import Koa from 'koa';
import type { AppDeps } from './app-deps.js';
import { libraryUnavailableErrors } from './errors/library-errors.js';
import { appErrorListener } from './http/client-faults.js';
import { buildRouter } from './http/router.js';
import { authenticate } from './middleware/authenticate.js';
import { clientIp } from './middleware/client-ip.js';
import { errorHandler } from './middleware/error-handler.js';
import { BODY_LIMIT_BYTES, jsonBody } from './middleware/json-body.js';
import { requestId } from './middleware/request-id.js';
import { requestLogger } from './middleware/request-logger.js';
import { routeFallback } from './middleware/route-fallback.js';
import { securityHeaders } from './middleware/security-headers.js';
import { transferCoding } from './middleware/transfer-coding.js';
import { queueBoard } from './admin/queue-board.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { httpTracing } from './metrics/http-tracing.js';
import { metricsEndpoint } from './metrics/metrics-endpoint.js';
import { createOpenApiDocument, type OpenApiDocument } from './openapi/document.js';
import { createRoutes } from './routes/index.js';
import './state.js';

/** The app and the OpenAPI document it serves (tests validate responses against it). */
export interface AuthApp {
  readonly app: Koa;
  readonly document: OpenApiDocument;
}

/**
 * Builds the Koa application from its dependencies. Nothing here opens a connection: `main.ts`
 * (or a test) creates the clients and passes them in.
 *
 * @param deps - Services, stores, publisher, health checks, settings.
 * @returns The Koa app and its OpenAPI document.
 * @example
 * ```ts
 * const { app } = createApp(deps);
 * const server = app.listen(3000);
 * ```
 */
export function createApp(deps: AppDeps): AuthApp {
  // The schema route serves the document built from the very table it belongs to (read per
  // request, so after the line below has run).
  const routes = createRoutes(deps, () => document);
  const document = createOpenApiDocument({ routes, version: deps.settings.version });
  const router = buildRouter({
    routes,
    authenticate: {
      required: authenticate({ tokens: deps.tokens, required: true }),
      optional: authenticate({ tokens: deps.tokens, required: false }),
    },
    bodyParser: jsonBody({ limitBytes: BODY_LIMIT_BYTES }),
  });

  const app = new Koa({ proxy: false });
  // Koa's default 'error' listener prints stacks to stderr; the error handler logs instead.
  app.silent = true;
  app.on('error', appErrorListener(deps.logger));
  app.use(securityHeaders());
  app.use(requestId());
  app.use(clientIp({ trustedHops: deps.settings.trustProxyHops }));
  app.use(requestLogger({ logger: deps.logger }));
  if (deps.tracer !== undefined) app.use(httpTracing({ tracer: deps.tracer }));
  if (deps.metrics !== undefined) app.use(httpMetrics({ meter: deps.metrics.meter }));
  app.use(
    errorHandler({
      bodyLimitBytes: BODY_LIMIT_BYTES,
      unavailable: [...libraryUnavailableErrors, ...(deps.unavailable ?? [])],
    }),
  );
  if (deps.metrics?.endpoint !== undefined) app.use(metricsEndpoint(deps.metrics.endpoint));
  if (deps.boardQueues !== undefined) {
    app.use(
      queueBoard({ queues: deps.boardQueues, tokens: deps.tokens, adminEmails: deps.settings.adminEmails }),
    );
  }
  app.use(transferCoding());
  app.use(routeFallback());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, document };
}
