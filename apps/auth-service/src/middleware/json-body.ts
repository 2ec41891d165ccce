import type { Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import {
  PayloadTooLargeProblem,
  UnsupportedContentEncodingProblem,
  UnsupportedMediaTypeProblem,
} from '../errors/request-problems.js';

/** The largest accepted JSON body: 16 kB. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body in bytes; larger bodies get 413 before they are read in full. */
  readonly limitBytes: number;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

/**
 * Parses JSON bodies into `ctx.request.body`, and enforces the rules koa-body leaves to us:
 * a body in any other media type → 415; a body in any content coding but `identity` → 415 with
 * `Accept-Encoding: identity` (RFC 9110 §15.5.16), since decompressing would let a few bytes on
 * the wire become megabytes, and a body that only claims gzip made zlib fail with a 500; a
 * declared `Content-Length` over the limit → 413 without reading it. Malformed JSON and oversize chunked bodies surface as koa-body errors, which the
 * error handler maps to 400/413 without echoing the parser's message.
 *
 * @param options - The size limit.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(jsonBody({ limitBytes: 16 * 1024 }));
 * ```
 */
export function jsonBody(options: JsonBodyOptions): Middleware {
  const parse = koaBody({
    json: true,
    jsonStrict: true, // only objects and arrays, as every operation takes an object
    jsonLimit: options.limitBytes,
    jsonTypes: JSON_TYPES,
    urlencoded: false,
    text: false,
    multipart: false,
    parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
  });
  return async function jsonBody(ctx, next) {
    if (!BODY_METHODS.has(ctx.method) || !hasBody(ctx.req.headers)) return next();
    const coding = (ctx.req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') throw new UnsupportedContentEncodingProblem();
    if (ctx.is(JSON_TYPES) === false) throw new UnsupportedMediaTypeProblem();
    const declared = Number(ctx.get('Content-Length') || 0);
    if (declared > options.limitBytes) throw new PayloadTooLargeProblem(options.limitBytes);
    return parse(ctx, next);
  };
}
