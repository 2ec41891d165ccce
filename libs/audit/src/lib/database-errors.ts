/**
 * Sorts database failures into "PostgreSQL is unavailable" (transient: 503, retry the job) and
 * everything else, so callers get one of our typed errors instead of a driver error.
 */
import {
  BackendTerminatedError,
  BackendTerminatedUnexpectedlyError,
  ConnectionError,
  StatementTimeoutError,
} from 'slonik';
import { AuditDatabaseError, AuditDatabaseUnavailableError, AuditError } from './errors.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
// SQLSTATE: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
// 53300 too_many_connections; class 08 is "connection exception".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

function* causes(error: unknown, depth = 0): Generator<unknown> {
  if (depth > 8 || error === null || error === undefined) return;
  yield error;
  if (error instanceof AggregateError) for (const inner of error.errors) yield* causes(inner, depth + 1);
  if (error instanceof Error) yield* causes(error.cause, depth + 1);
}

/** True when `error` (or any cause) says the server cannot be reached or is going away. */
export function isUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    if (
      e instanceof ConnectionError ||
      e instanceof BackendTerminatedError ||
      e instanceof BackendTerminatedUnexpectedlyError ||
      e instanceof StatementTimeoutError
    ) {
      return true;
    }
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08/.test(code))
    ) {
      return true;
    }
    if (
      e instanceof Error &&
      /connection terminated|timeout exceeded when trying to connect/i.test(e.message)
    ) {
      return true;
    }
  }
  return false;
}

/** Wraps any failure of `action` in an `AuditError` (ours pass through untouched). */
export function toAuditError(error: unknown, action: string): AuditError {
  if (error instanceof AuditError) return error;
  if (isUnavailable(error)) {
    return new AuditDatabaseUnavailableError(`PostgreSQL is unavailable (${action}).`, { cause: error });
  }
  return new AuditDatabaseError(`Database error while ${action}.`, { cause: error });
}

/** Runs `fn`, rethrowing any failure through {@link toAuditError}. */
export async function withAuditErrors<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAuditError(error, action);
  }
}
