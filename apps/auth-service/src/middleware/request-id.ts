import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

// The header name is fixed: the error handler keeps exactly this header when it resets the others.
const HEADER = 'X-Request-Id';
const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (`ctx.state.requestId`) and echoes it in `X-Request-Id`: the
 * client's own when it matches `[A-Za-z0-9._-]{1,128}`, else a new UUID.
 *
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(requestId());
 * ```
 */
export function requestId(): Middleware {
  return async function requestId(ctx, next) {
    const incoming = ctx.get(HEADER);
    const id = SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set(HEADER, id);
    await next();
  };
}
