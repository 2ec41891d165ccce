import type { Middleware } from 'koa';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { toProblem, type ToProblemOptions } from '../errors/to-problem.js';

/** Options of {@link errorHandler}. */
export type ErrorHandlerOptions = ToProblemOptions;

// Headers that describe the request rather than the failed response, kept when an error replaces it.
const KEEP_HEADERS = new Set(['x-request-id']);

/**
 * The one error handler: every thrown value becomes an RFC 9457 `application/problem+json`
 * response. Server faults (500, 503) are logged at error level with their cause; client faults (4xx,
 * and a 501 for an unknown method or coding) at debug level. The client sees only the problem.
 *
 * @param options - Body limit (for 413) and extra "backing service unavailable" predicates.
 * @returns Koa middleware; mount after `requestLogger()`.
 * @example
 * ```ts
 * app.use(errorHandler({ bodyLimitBytes: 16_384 }));
 * ```
 */
export function errorHandler(options: ErrorHandlerOptions): Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
    } catch (error) {
      const problem = toProblem(error, options);
      const log = ctx.state.log;
      // The request logger's line follows this fault too: a 501 for a method nobody implements is
      // the client's, not an error to page anyone about.
      ctx.state.fault = problem.fault;
      if (problem.fault === 'server') log?.error({ err: error, status: problem.status }, 'request failed');
      else log?.debug({ problem: problem.type }, 'request rejected');

      if (ctx.headerSent || !ctx.writable) return;
      for (const name of ctx.res.getHeaderNames()) if (!KEEP_HEADERS.has(name)) ctx.res.removeHeader(name);
      ctx.set(problem.headers);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = problem.status;
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = problem.toBody({ instance: ctx.path, requestId: ctx.state.requestId });
    }
  };
}
