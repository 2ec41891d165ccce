import type { Middleware } from 'koa';
import type { Logger } from 'pino';

/** Options of {@link requestLogger}. */
export interface RequestLoggerOptions {
  readonly logger: Logger;
}

/**
 * Binds a child logger to the request (`ctx.state.log`) and logs one line per response:
 * method, path, status, duration; at `error` for server faults, `info` for client faults except
 * 429, `debug` for the rest. Never headers or bodies (they carry codes and tokens).
 *
 * @param options - The parent logger.
 * @returns Koa middleware; mount after `requestId()` and before the error handler.
 */
export function requestLogger(options: RequestLoggerOptions): Middleware {
  return async function requestLogger(ctx, next) {
    const started = performance.now();
    const log = options.logger.child({ request_id: ctx.state.requestId });
    ctx.state.log = log;
    try {
      await next();
    } finally {
      const serverFault = ctx.state.fault === undefined ? ctx.status >= 500 : ctx.state.fault === 'server';
      // A 429 is the limiter doing its job: at `info`, a flood of refused requests would write a
      // line per request and cost more than answering it.
      const level = serverFault ? 'error' : ctx.status >= 400 && ctx.status !== 429 ? 'info' : 'debug';
      if (log.isLevelEnabled(level)) {
        log[level](
          {
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            duration_ms: Math.round((performance.now() - started) * 100) / 100,
            ip: ctx.state.clientIp,
          },
          'request completed',
        );
      }
    }
  };
}
