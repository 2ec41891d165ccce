/**
 * The BullMQ contract for audit writes, shared by the producer (the service) and the consumer
 * (the worker): queue and job names, the payload schema and the retry policy.
 * Nothing comes from bullmq at run time, and the published types describe the queue by the
 * members used here, so an app that never installs bullmq type-checks too.
 */
import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { auditEventInputSchema, type AuditEventInput } from './event-input.js';
import { parseOrThrow } from './fields.js';

/** The queue audit events go through. */
export const AUDIT_QUEUE_NAME = 'audit';
/** The one job name on that queue. */
export const WRITE_AUDIT_LOG_JOB = 'write_audit_log';

/**
 * The job payload: an audit event after validation, `occurredAt` as an ISO 8601 UTC string.
 * Job data sits in Redis in plain text: never put secrets (codes, tokens) in `metadata`.
 */
export const auditJobPayloadSchema = auditEventInputSchema.transform(({ occurredAt, ...event }) => ({
  ...event,
  occurredAt: occurredAt.toISOString(),
}));

/** The payload of a `write_audit_log` job (JSON-safe). */
export type AuditJobPayload = z.output<typeof auditJobPayloadSchema>;

/** An enqueued audit job, as BullMQ's `Job` describes it (the members callers read). */
export interface AuditJob {
  readonly id?: string | undefined;
  readonly name: string;
  readonly data: AuditJobPayload;
}

/**
 * A queue for audit jobs: what {@link enqueueAuditEvent} needs of a BullMQ `Queue` (any
 * `Queue`, typed or not, fits).
 */
export interface AuditQueue {
  add(
    name: typeof WRITE_AUDIT_LOG_JOB,
    data: AuditJobPayload,
    opts: typeof auditJobOptions & { readonly jobId: string },
  ): Promise<AuditJob>;
}

/**
 * Job options of every audit write: 10 attempts with exponential backoff (1 s, 2 s, 4 s, … about
 * 17 minutes in all) to ride out a database restart; completed jobs kept one day (so `jobId`
 * still deduplicates re-sends), failed jobs kept for inspection. The worker reads `attempts`
 * from here too.
 */
export const auditJobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: false,
} as const satisfies JobsOptions;

/**
 * Validates a job's data (in the worker) and returns the event to write.
 *
 * @param data - `job.data` as received.
 * @returns The event, ready for `store.write()`.
 * @throws AuditValidationError when the payload breaks the contract; the worker should fail the
 *   job without retrying (BullMQ's `UnrecoverableError`).
 * @example
 * ```ts
 * new Worker(AUDIT_QUEUE_NAME, async (job) => store.write(parseAuditJobPayload(job.data)), { connection });
 * ```
 */
export function parseAuditJobPayload(data: unknown): AuditJobPayload {
  return parseOrThrow(auditJobPayloadSchema, data);
}

/**
 * Validates an event and adds it to the audit queue as a `write_audit_log` job whose `jobId` is
 * the event id (a UUID: no `:` and never all digits, as BullMQ requires), so a re-send while the
 * job exists is ignored and the writer's `ON CONFLICT DO NOTHING` covers the rest.
 *
 * @param queue - A BullMQ `Queue` named {@link AUDIT_QUEUE_NAME}.
 * @param event - The event; `occurredAt` should be when it happened.
 * @returns The BullMQ job (an existing one when the id was already queued).
 * @throws AuditValidationError for a bad event, before touching Redis.
 * @example
 * ```ts
 * const queue: AuditQueue = new Queue(AUDIT_QUEUE_NAME, { connection });
 * await enqueueAuditEvent(queue, {
 *   id: randomUUID(), event: 'OTP_REQUESTED', email, ip: ctx.ip, userAgent, occurredAt: new Date(),
 * });
 * ```
 */
export async function enqueueAuditEvent(queue: AuditQueue, event: AuditEventInput): Promise<AuditJob> {
  const payload = parseAuditJobPayload(event);
  return queue.add(WRITE_AUDIT_LOG_JOB, payload, { ...auditJobOptions, jobId: payload.id });
}
