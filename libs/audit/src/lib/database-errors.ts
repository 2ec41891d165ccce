/**
 * Sorts database failures into "PostgreSQL is unavailable" (transient: 503, retry the job) and
 * everything else, so callers get one of our typed errors instead of a driver error.
 */
import { isConnectionFault, type ConnectionFaultTest } from '@tses/core';
import {
  BackendTerminatedError,
  BackendTerminatedUnexpectedlyError,
  ConnectionError,
  StatementTimeoutError,
} from 'slonik';
import { AuditDatabaseError, AuditDatabaseUnavailableError, AuditError } from './errors.js';

// SQLSTATE: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
// 53300 too_many_connections; class 08 is "connection exception".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** slonik's and pg's own ways of saying the server is unreachable or going away. */
const isPostgresConnectionFault: ConnectionFaultTest = (error) => {
  if (
    error instanceof ConnectionError ||
    error instanceof BackendTerminatedError ||
    error instanceof BackendTerminatedUnexpectedlyError ||
    error instanceof StatementTimeoutError
  ) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || /^08/.test(code))) return true;
  return /connection terminated|timeout exceeded when trying to connect/i.test(error.message);
};

/** True when `error` (or any cause) says the server cannot be reached or is going away. */
export function isUnavailable(error: unknown): boolean {
  return isConnectionFault(error, [isPostgresConnectionFault]);
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
