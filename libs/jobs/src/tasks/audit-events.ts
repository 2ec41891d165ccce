import { auditJobOptions, auditJobPayloadSchema, type AuditEventInput } from '@tses/audit';
import { z } from 'zod';
import { captureTraceparent, inItemSpan, TRACEPARENT_PATTERN } from '../metrics/item-trace.js';
import { AUDIT_EVENTS_JOB, AUDIT_EVENTS_QUEUE } from '../names.js';
import { defineTask, jobOptionsFor, parseJobPayload, type RetryPolicy } from './task.js';
import { TurnBatches } from './turn-batches.js';

/** The version of the `audit_events` payload; a worker refuses any other. */
export const AUDIT_EVENTS_VERSION = 2;

/** Most events one `audit_events` job carries. */
export const AUDIT_EVENTS_MAX_ITEMS = 64;

/**
 * Payload of an `audit_events` job (version 2): the audit events published in one event-loop turn
 * of one process, each as `@tses/audit` queues it (normalised, `occurredAt` as ISO 8601). Replaces
 * a `write_audit_log` job per event: one BullMQ add for many requests.
 */
export const auditEventsPayloadSchema = z.strictObject({
  version: z.literal(AUDIT_EVENTS_VERSION),
  events: z.array(auditJobPayloadSchema).min(1).max(AUDIT_EVENTS_MAX_ITEMS),
  /**
   * The W3C `traceparent` of each event published in a traced request, by event id: the job joins
   * one trace only, so the worker writes each event in a span of its own request's trace. Absent
   * when none was traced.
   */
  traces: z.record(z.uuid(), z.string().regex(TRACEPARENT_PATTERN)).optional(),
});

/** The `audit_events` job data as stored in the queue. */
export type AuditEventsPayload = z.infer<typeof auditEventsPayloadSchema>;
type AuditEventItem = {
  readonly event: AuditEventsPayload['events'][number];
  readonly traceparent: string | undefined;
};

/** Retry policy: `@tses/audit`'s (10 attempts, 1 s doubling, about 17 minutes). */
export const auditEventsRetry: RetryPolicy = {
  attempts: auditJobOptions.attempts,
  backoff: auditJobOptions.backoff,
};

// Completed jobs kept a day, as `write_audit_log`'s are, so an admin can see recent writes on the
// queue board; at most 1 000 of them (up to 64 events each: bounded in Redis as the old queue's
// 10 000 single-event jobs were in time). The payload holds no secret (no code; the events are
// what the audit log itself shows admins). Failed ones kept, as `write_audit_log`'s are. Keeping
// them costs the publisher nothing: BullMQ trims them when the worker completes a job.
const retention = {
  removeOnComplete: { age: auditJobOptions.removeOnComplete.age, count: 1_000 },
  removeOnFail: auditJobOptions.removeOnFail,
};

const batches = new TurnBatches<AuditEventItem>({
  jobName: AUDIT_EVENTS_JOB,
  version: AUDIT_EVENTS_VERSION,
  maxItems: AUDIT_EVENTS_MAX_ITEMS,
  options: jobOptionsFor({ retry: auditEventsRetry, retention }),
  data: (version, items) => {
    const traced = items.filter((item) => item.traceparent !== undefined);
    return {
      version,
      events: items.map((item) => item.event),
      ...(traced.length === 0
        ? {}
        : { traces: Object.fromEntries(traced.map((item) => [item.event.id, item.traceparent])) }),
    };
  },
});

/**
 * Writes audit events (`jobs.auditEvent(event)`): publishing validates the event and coalesces the
 * calls of one event-loop turn into one job (at most {@link AUDIT_EVENTS_MAX_ITEMS} events). The
 * worker writes every event through `@tses/audit`'s store, idempotent by event id, so a retry
 * (after a database outage) writes each row once; when traced, each write runs in a span whose
 * parent is the request that published the event.
 */
export const auditEventsTask = defineTask<'auditEvent', AuditEventInput, typeof auditEventsPayloadSchema>({
  name: AUDIT_EVENTS_JOB,
  queue: AUDIT_EVENTS_QUEUE,
  publishAs: 'auditEvent',
  payload: auditEventsPayloadSchema,
  retry: auditEventsRetry,
  retention,
  async enqueue(queue, event) {
    const parsed = parseJobPayload(AUDIT_EVENTS_JOB, auditJobPayloadSchema, event);
    return batches.add(queue, { event: parsed, traceparent: captureTraceparent() });
  },
  async run(payload, deps) {
    const results = await Promise.all(
      payload.events.map((event) =>
        inItemSpan(
          'audit_events item',
          payload.traces?.[event.id],
          { 'messaging.destination.name': AUDIT_EVENTS_QUEUE, 'tses.audit.event_id': event.id },
          () => deps.auditStore.write(event),
        ),
      ),
    );
    return {
      outcome: 'completed',
      detail: { events: payload.events.length, inserted: results.filter((r) => r.inserted).length },
    };
  },
});
