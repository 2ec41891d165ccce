/**
 * The names producers and consumers must agree on, in one place so they cannot drift.
 * The audit queue's names belong to `@tses/audit` and are re-exported from there.
 */

/** BullMQ queue that carries `send_otp_email` jobs. */
export const OTP_EMAIL_QUEUE = 'otp-email';

/** Job name of the OTP email task. */
export const SEND_OTP_EMAIL_JOB = 'send_otp_email';

/**
 * BullMQ queue that carries `otp_issued` jobs (one job per batch of issued codes: the email and
 * the `OTP_REQUESTED` audit row of each). A queue of its own, so a worker of the previous version,
 * which knows no `otp_issued`, never takes one during a rolling deploy.
 */
export const OTP_ISSUED_QUEUE = 'otp-issued';

/** Job name of the issued-codes task. */
export const OTP_ISSUED_JOB = 'otp_issued';

/**
 * BullMQ queue that carries `audit_events` jobs (the audit events of one event-loop turn). A queue
 * of its own, so a worker of the previous version never takes one during a rolling deploy.
 */
export const AUDIT_EVENTS_QUEUE = 'audit-events';

/** Job name of the batched audit-events task. */
export const AUDIT_EVENTS_JOB = 'audit_events';

/**
 * Default BullMQ key prefix (`<prefix>:<queue>:…`). The API and the worker must use the same one;
 * tests use a random prefix per test for isolation.
 */
export const DEFAULT_QUEUE_PREFIX = 'tses';

/** The audit queue and job names, owned by `@tses/audit` (re-exported so every name is here). */
export { AUDIT_QUEUE_NAME, WRITE_AUDIT_LOG_JOB } from '@tses/audit';
