/**
 * Recognises "a backing service is down" among the errors Redis, PostgreSQL and the libraries
 * throw, so they become 503 instead of 500. The walk and the socket codes are `@tses/core`'s
 * `isConnectionFault`; this file holds only what is particular to the clients the service itself
 * calls (its sessions on ioredis, its users and the audit reads on slonik), whose raw errors reach
 * the error handler.
 */
import { isConnectionFault, type ConnectionFaultTest } from '@tses/core';

// slonik (`@slonik/errors`) and ioredis/redis-errors class names that mean the connection failed.
const UNAVAILABLE_NAMES = new Set([
  'ConnectionError',
  'BackendTerminatedError',
  'BackendTerminatedUnexpectedlyError',
  'StatementTimeoutError',
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
]);

// ioredis and pg report an unusable connection with plain Errors.
const UNAVAILABLE_MESSAGES = [
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Connection terminated',
  'timeout exceeded when trying to connect',
];

/** A predicate that recognises one library's "unavailable" errors. */
export type UnavailablePredicate = ConnectionFaultTest;

const isClientConnectionFault: UnavailablePredicate = (error) =>
  UNAVAILABLE_NAMES.has(error.name) ||
  UNAVAILABLE_NAMES.has(error.constructor.name) ||
  UNAVAILABLE_MESSAGES.some((m) => error.message.includes(m));

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
  return isConnectionFault(error, [isClientConnectionFault, ...extra]);
}
