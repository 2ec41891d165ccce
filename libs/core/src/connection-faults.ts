/**
 * Node.js socket error codes that mean the other end is gone or cannot be reached, whatever the
 * client library: refused, reset, timed out, a broken pipe, a name that does not resolve (now or
 * for good), no route to the host or its network.
 *
 * @example
 * ```ts
 * CONNECTION_ERROR_CODES.has('ECONNREFUSED'); // true
 * ```
 */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Recognises one client library's own way of saying "no connection" (its error classes, messages
 * or server codes), for {@link isConnectionFault}.
 *
 * @example
 * ```ts
 * const pgDown: ConnectionFaultTest = (error) => /^08/.test(String((error as { code?: unknown }).code));
 * ```
 */
export type ConnectionFaultTest = (error: Error) => boolean;

// Enough for any real chain (a driver error wrapped by a library wrapped by an app), and a bound
// on a hostile or self-referencing one.
const MAX_LINKS = 16;

/**
 * Whether an error means a backing service cannot be reached: the error itself, anything in its
 * `cause` chain or among an `AggregateError`'s members (Node's dual-stack connect rejects with
 * one per address) carries a {@link CONNECTION_ERROR_CODES} code, or passes one of the client's
 * own tests. Cycle-safe and bounded (16 links).
 *
 * @param error - What was thrown.
 * @param clientTests - The client libraries' own recognisers (their classes and messages stay
 *   with the code that uses those clients).
 * @returns `true` for a connection fault; `false` for anything else, non-errors included.
 * @example
 * ```ts
 * const down = isConnectionFault(error, [(e) => e.message.includes('Connection is closed')]);
 * if (down) ctx.status = 503;
 * ```
 */
export function isConnectionFault(error: unknown, clientTests: readonly ConnectionFaultTest[] = []): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < MAX_LINKS) {
    const link = pending.shift();
    if (typeof link !== 'object' || link === null || seen.has(link)) continue;
    seen.add(link);
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    if (!(link instanceof Error)) continue;
    if (clientTests.some((test) => test(link))) return true;
    if (link.cause !== undefined) pending.push(link.cause);
    if (link instanceof AggregateError) pending.push(...link.errors);
  }
  return false;
}
