import type { Middleware } from 'koa';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { toProblem, type ToProblemOptions } from '../errors/to-problem.js';

/** Options of {@link errorHandler}. */
export type ErrorHandlerOptions = ToProblemOptions;

// Headers that describe the request rather than the failed response, kept when an error replaces it.
const KEEP_HEADERS = new Set(['x-request-id']);

/**
 * The one error handler: every thrown value becomes an RFC 9457 `application/problem+json`
 * response. 5xx causes are logged with their stack; the client sees only the generic problem.
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
      if (problem.status >= 500) log?.error({ err: error, status: problem.status }, 'request failed');
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
