import { AUDIT_QUEUE_NAME, auditJobOptions, auditJobPayloadSchema, WRITE_AUDIT_LOG_JOB } from '@tses/audit';
import type { RetryPolicy, Task } from './task.js';

/**
 * Retry policy: `@tses/audit`'s job contract (10 attempts, 1 s doubling, ≈ 17 minutes in all),
 * so a PostgreSQL restart loses no audit event. Writes are idempotent by event id, so retries
 * never duplicate rows.
 */
export const writeAuditLogRetry: RetryPolicy = {
  attempts: auditJobOptions.attempts,
  backoff: { type: 'exponential', delay: auditJobOptions.backoff.delay },
};

/**
 * Writes one audit event through `@tses/audit`. A duplicate (the same event enqueued twice,
 * or a retry after a write whose acknowledgement was lost) completes with `inserted: false`.
 * An invalid payload is not retried; a database outage is.
 */
export const writeAuditLogTask: Task<typeof auditJobPayloadSchema> = {
  name: WRITE_AUDIT_LOG_JOB,
  queue: AUDIT_QUEUE_NAME,
  payload: auditJobPayloadSchema,
  retry: writeAuditLogRetry,
  retention: {
    removeOnComplete: auditJobOptions.removeOnComplete,
    removeOnFail: auditJobOptions.removeOnFail,
  },
  async run(event, deps) {
    const { inserted } = await deps.auditStore.write(event);
    return { outcome: 'completed', detail: { event: event.event, eventId: event.id, inserted } };
  },
};
