/**
 * Recognises "a backing service is down" among the errors Redis, PostgreSQL and the libraries
 * throw, so they become 503 instead of 500.
 */

// Node socket errors: the peer is gone or unreachable.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// slonik (`@slonik/errors`) and ioredis/redis-errors class names that mean the connection failed.
const UNAVAILABLE_NAMES = new Set([
  'ConnectionError',
  'BackendTerminatedError',
  'BackendTerminatedUnexpectedlyError',
  'StatementTimeoutError',
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
]);

// ioredis reports an unusable connection with plain Errors.
const UNAVAILABLE_MESSAGES = [
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Connection terminated',
  'timeout exceeded when trying to connect',
];

/** A predicate that recognises one library's "unavailable" errors. */
export type UnavailablePredicate = (error: Error) => boolean;

function matchesOne(error: Error, extra: readonly UnavailablePredicate[]): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (UNAVAILABLE_NAMES.has(error.name) || UNAVAILABLE_NAMES.has(error.constructor.name)) return true;
  if (UNAVAILABLE_MESSAGES.some((m) => error.message.includes(m))) return true;
  return extra.some((predicate) => predicate(error));
}

/**
 * Whether an error (or anything in its `cause` chain, or an `AggregateError`'s members) means
 * Redis or PostgreSQL is unreachable.
 *
 * @param error - What a handler threw.
 * @param extra - Library-specific predicates (typed errors of `@tses/*`).
 * @returns `true` when the request should be answered 503.
 */
export function isDependencyUnavailable(
  error: unknown,
  extra: readonly UnavailablePredicate[] = [],
): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    if (matchesOne(current, extra)) return true;
    if (current.cause !== undefined) queue.push(current.cause);
    if (current instanceof AggregateError) queue.push(...current.errors);
  }
  return false;
}
