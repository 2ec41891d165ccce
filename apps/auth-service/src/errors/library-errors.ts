import { AuditDatabaseUnavailableError } from '@tses/audit';
import { OtpStoreError } from '@tses/otp';
import { RateLimitConfigError, RateLimitError } from '@tses/redis-ratelimit';
import { QueueUnavailableError } from '@tses/jobs';
import type { UnavailablePredicate } from './dependency-errors.js';

/**
 * The typed errors of the `@tses/*` libraries that mean "Redis or PostgreSQL is unreachable":
 * the OTP store or limiter failed, the job queue is down, the audit database is down.
 */
export const libraryUnavailableErrors: readonly UnavailablePredicate[] = [
  (error) => error instanceof OtpStoreError,
  (error) => error instanceof RateLimitError && !(error instanceof RateLimitConfigError),
  (error) => error instanceof QueueUnavailableError,
  (error) => error instanceof AuditDatabaseUnavailableError,
];
