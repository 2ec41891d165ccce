import type { Middleware } from 'koa';

/**
 * Headers every response carries, errors included: no MIME sniffing, no framing, no referrer.
 * Set after `next()` so the error handler's header reset cannot drop them; mount outermost.
 *
 * @returns Koa middleware.
 */
export function securityHeaders(): Middleware {
  return async function securityHeaders(ctx, next) {
    try {
      await next();
    } finally {
      if (!ctx.headerSent) {
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.set('X-Frame-Options', 'DENY');
        ctx.set('Referrer-Policy', 'no-referrer');
      }
    }
  };
}
