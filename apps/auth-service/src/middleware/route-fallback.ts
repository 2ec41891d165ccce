import type { Middleware } from 'koa';
import {
  MethodNotAllowedProblem,
  NotFoundProblem,
  NotImplementedProblem,
} from '../errors/request-problems.js';

/**
 * Turns what the router leaves unanswered into problems: no route → 404; a route with other
 * methods → 405 with `Allow` (set by `router.allowedMethods()`); an unknown method → 501.
 * Mount it outside the router and its `allowedMethods()`.
 *
 * @returns Koa middleware.
 */
export function routeFallback(): Middleware {
  return async function routeFallback(ctx, next) {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 405) throw new MethodNotAllowedProblem(ctx.response.get('Allow'));
    if (ctx.status === 501) throw new NotImplementedProblem();
    if (ctx.status === 404) throw new NotFoundProblem();
  };
}
