import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** Header read from the client and echoed back (default `X-Request-Id`). */
  readonly headerName?: string;
  /** Accept a client-supplied id (default `true`); only ids matching `[A-Za-z0-9._-]{1,128}` are kept. */
  readonly trustIncoming?: boolean;
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (`ctx.state.requestId`) and echoes it in the response header.
 *
 * @param options - Header name and whether to trust an inbound id.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(requestId());
 * ```
 */
export function requestId(options: RequestIdOptions = {}): Middleware {
  const headerName = options.headerName ?? 'X-Request-Id';
  const trustIncoming = options.trustIncoming ?? true;
  return async function requestId(ctx, next) {
    const incoming = ctx.get(headerName);
    const id = trustIncoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set(headerName, id);
    await next();
  };
}
