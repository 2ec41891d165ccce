import type { Middleware } from 'koa';
import { UnsupportedTransferCodingProblem } from '../errors/request-problems.js';

/**
 * Refuses a request whose `Transfer-Encoding` lists any coding but `chunked` (`gzip, chunked`):
 * Node's parser de-chunks the body but would hand it on still gzip-encoded, silently. A server
 * that receives a transfer coding it does not understand ought to answer 501 (RFC 9112 §6.1).
 *
 * @returns Koa middleware; mount inside the error handler, before routing.
 * @example
 * ```ts
 * app.use(transferCoding());
 * ```
 */
export function transferCoding(): Middleware {
  return async function transferCoding(ctx, next) {
    const header = ctx.req.headers['transfer-encoding'];
    if (header !== undefined) {
      const codings = header.split(',').map((coding) => coding.trim().toLowerCase());
      if (codings.some((coding) => coding !== 'chunked')) throw new UnsupportedTransferCodingProblem();
    }
    await next();
  };
}
