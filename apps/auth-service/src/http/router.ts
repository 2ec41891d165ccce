import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AnyRoute } from './route.js';
import { parseInput } from './validate.js';

/** Options of {@link buildRouter}. */
export interface BuildRouterOptions {
  readonly routes: readonly AnyRoute[];
  /** Middleware for `auth: 'required'` and `auth: 'optional'` routes. */
  readonly authenticate: { readonly required: Middleware; readonly optional: Middleware };
  /** Body parser, mounted only on routes that take a body (so a 404/405 never parses one). */
  readonly bodyParser: Middleware;
}

/**
 * Builds the @koa/router from the route table: auth, body parsing, validation, then the handler,
 * with `Cache-Control: no-store` unless the handler sets its own.
 * Not `strict`, so `/path/` matches `/path` (trailing slashes are accepted everywhere).
 *
 * @param options - The route table and the auth middleware.
 * @returns The router; mount `routes()` and `allowedMethods()`.
 */
export function buildRouter(options: BuildRouterOptions): Router {
  const router = new Router({ strict: false, sensitive: false });
  for (const route of options.routes) {
    const stack: Middleware[] = [];
    if (route.auth === 'required') stack.push(options.authenticate.required);
    if (route.auth === 'optional') stack.push(options.authenticate.optional);
    if (route.body !== undefined) stack.push(options.bodyParser);
    stack.push(async function handleRoute(ctx) {
      // Answers are per user and per moment (tokens, codes, audit entries: RFC 6749 §5.1), so
      // nothing is cacheable unless the handler says so (JWKS, the document, static assets).
      ctx.set('Cache-Control', 'no-store');
      const body = route.body === undefined ? undefined : parseInput(route.body, ctx.request.body, 'body');
      const query = route.query === undefined ? undefined : parseInput(route.query, ctx.query, 'query');
      await route.handler(ctx, { body, query });
    });
    router.register(route.path, [route.method.toUpperCase()], stack, { name: route.operationId });
  }
  return router;
}
