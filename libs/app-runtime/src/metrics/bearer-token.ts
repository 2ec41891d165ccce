import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `Bearer <token>`, compared in constant time (both
 * sides hashed first, so neither the token's length nor its prefix leaks through timing).
 *
 * @param header - The request's `Authorization` header, if any.
 * @param token - The configured token.
 * @returns `true` when they match.
 * @example
 * ```ts
 * if (!bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) return unauthorized();
 * ```
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
