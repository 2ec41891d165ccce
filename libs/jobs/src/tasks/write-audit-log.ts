import {
  AUDIT_QUEUE_NAME,
  auditJobOptions,
  auditJobPayloadSchema,
  AuditValidationError,
  enqueueAuditEvent,
  WRITE_AUDIT_LOG_JOB,
  type AuditEventInput,
} from '@tses/audit';
import { InvalidJobPayloadError } from '../errors.js';
import { defineTask } from './task.js';

/**
 * Writes one audit event through `@tses/audit` (`jobs.writeAuditLog`). The job's contract is
 * `@tses/audit`'s own: its queue and job names, its payload schema, its job options (10 attempts,
 * 1 s doubling, ≈ 17 minutes in all, so a PostgreSQL restart loses no event) and its
 * `enqueueAuditEvent`, which validates the event once and queues it under its id, so a re-send is
 * dropped while the job exists. A duplicate that still gets through (a retry after a write whose
 * acknowledgement was lost) completes with `inserted: false`. An invalid payload is not retried;
 * a database outage is.
 */
export const writeAuditLogTask = defineTask<'writeAuditLog', AuditEventInput, typeof auditJobPayloadSchema>({
  name: WRITE_AUDIT_LOG_JOB,
  queue: AUDIT_QUEUE_NAME,
  publishAs: 'writeAuditLog',
  payload: auditJobPayloadSchema,
  retry: { attempts: auditJobOptions.attempts, backoff: auditJobOptions.backoff },
  retention: {
    removeOnComplete: auditJobOptions.removeOnComplete,
    removeOnFail: auditJobOptions.removeOnFail,
  },
  async enqueue(queue, event) {
    try {
      return await enqueueAuditEvent(queue, event);
    } catch (error) {
      if (!(error instanceof AuditValidationError)) throw error;
      // The publishers' one error for bad input, whichever task rejects it.
      throw new InvalidJobPayloadError(
        WRITE_AUDIT_LOG_JOB,
        error.issues.map((issue) => `${issue.field}: ${issue.message}`),
      );
    }
  },
  async run(event, deps) {
    const { inserted } = await deps.auditStore.write(event);
    return { outcome: 'completed', detail: { event: event.event, eventId: event.id, inserted } };
  },
});
