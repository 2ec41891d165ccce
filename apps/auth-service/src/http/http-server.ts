import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { BODY_LIMIT_BYTES } from '../middleware/json-body.js';
import { handleClientError } from './client-faults.js';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  readonly logger: Logger;
}

/**
 * The HTTP server the API runs on, with what Koa leaves to the server: slow-loris bounds
 * (30 s per request, 10 s for the headers), keep-alive beyond typical load-balancer idle
 * timeouts, and an answer to requests the HTTP parser rejects (`handleClientError`). `main.ts`
 * and the tests both listen through it.
 *
 * @param app - The Koa app (`createApp(deps).app`).
 * @param options - The logger for client faults.
 * @returns A server, not listening yet.
 * @example
 * ```ts
 * const server = createHttpServer(app, { logger });
 * server.listen(3000, '127.0.0.1');
 * ```
 */
export function createHttpServer(app: Koa, options: HttpServerOptions): Server {
  const server = createServer(app.callback());
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error, socket) =>
    handleClientError(error, socket, { logger: options.logger, bodyLimitBytes: BODY_LIMIT_BYTES }),
  );
  return server;
}
