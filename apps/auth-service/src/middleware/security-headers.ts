import type { Middleware } from 'koa';

/** Options of {@link securityHeaders} (none yet; kept for the factory shape). */
export type SecurityHeadersOptions = Record<string, never>;

/**
 * Headers every response carries, errors included: no MIME sniffing, no framing, no referrer.
 * Set after `next()` so the error handler's header reset cannot drop them; mount outermost.
 *
 * @returns Koa middleware.
 */
export function securityHeaders(_options: SecurityHeadersOptions = {}): Middleware {
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
