// audit_events (version 2) on real BullMQ queues and real Redis: the events published in one
// event-loop turn share one job; the worker writes each row exactly once, also across a retry.
import { randomUUID } from 'node:crypto';
import { createMemoryAuditStore, type AuditEventInput } from '@tses/audit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_EVENTS_JOB,
  AUDIT_EVENTS_MAX_ITEMS,
  AUDIT_EVENTS_QUEUE,
  auditEventsTask,
  createInProcessJobs,
  jobOptionsFor,
} from '../src/index.js';
import { flakyAuditStore, rowsOf } from './support/audit-stores.js';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { captureLogs } from './support/log-capture.js';
import { eventually } from './support/services.js';

const FAST_RETRY = { attempts: 4, backoff: { type: 'exponential', delay: 100, jitter: 0 } } as const;

const event = (n: number): AuditEventInput => ({
  id: randomUUID(),
  event: 'OTP_VERIFIED',
  email: `user${n}@example.com`,
  ip: '203.0.113.7',
  occurredAt: new Date(),
  metadata: { user_id: `u${n}` },
});

describe('audit_events on real BullMQ queues', () => {
  let h: BullmqHarness;
  beforeEach(() => {
    h = openBullmqHarness(AUDIT_EVENTS_QUEUE, { retry: { audit_events: FAST_RETRY } });
  });
  afterEach(() => h.close());

  it('coalesces the events of one turn into one job; each row written once', async () => {
    const events = Array.from({ length: 30 }, (_, i) => event(i));
    await Promise.all(events.map((e) => h.publisher.auditEvent(e)));
    const waiting = await h.queue.getWaiting();
    expect(waiting.map((job) => [job.name, job.data.version, job.data.events.length])).toEqual([
      [AUDIT_EVENTS_JOB, 2, 30],
    ]);
    // Untraced (no SDK registered): no trace context rides along.
    expect(Object.keys(waiting[0]!.data).sort()).toEqual(['events', 'version']);
    const auditStore = createMemoryAuditStore();
    h.startWorker({ auditStore });
    await eventually(async () => (await rowsOf(auditStore)) === 30);
    expect(h.logs.jobLines()).toEqual([
      expect.objectContaining({ jobName: AUDIT_EVENTS_JOB, outcome: 'completed', events: 30, inserted: 30 }),
    ]);
  });

  it('splits a turn beyond the item cap, losing none', async () => {
    await Promise.all(
      Array.from({ length: AUDIT_EVENTS_MAX_ITEMS + 1 }, (_, i) => h.publisher.auditEvent(event(i))),
    );
    const sizes = (await h.queue.getWaiting()).map((job) => job.data.events.length).sort((a, b) => a - b);
    expect(sizes).toEqual([1, AUDIT_EVENTS_MAX_ITEMS]);
  });

  it('a retry after a database outage writes each row once', async () => {
    const auditStore = flakyAuditStore(2);
    h.startWorker({ auditStore });
    await Promise.all([event(1), event(2), event(3)].map((e) => h.publisher.auditEvent(e)));
    await eventually(() => h.logs.jobLines().some((line) => line['outcome'] === 'completed'));
    expect(await rowsOf(auditStore)).toBe(3);
    expect(auditStore.writes).toBe(6); // attempt 1: 2 failed + 1 written; attempt 2: 3, one a no-op
    expect(h.logs.jobLines().map((l) => [l['attempt'], l['outcome'], l['inserted']])).toEqual([
      [1, 'retrying', undefined],
      [2, 'completed', 2],
    ]);
  });

  it('rejects a bad event before anything is queued; fails a payload of another version at once', async () => {
    await expect(h.publisher.auditEvent({ ...event(1), id: 'nope' })).rejects.toMatchObject({
      code: 'ERR_JOB_PAYLOAD',
    });
    expect(await h.queue.getJobCountByTypes('wait', 'active', 'delayed')).toBe(0);
    h.startWorker();
    await h.queue.add(AUDIT_EVENTS_JOB, { version: 1, events: [] }, jobOptionsFor(auditEventsTask));
    const [failed] = await eventually(async () => {
      const jobs = await h.queue.getFailed();
      return jobs.length === 1 ? jobs : undefined;
    });
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toContain('Invalid audit_events payload');
  });
});

describe('audit_events in process (embedded mode)', () => {
  it('writes each row once, coalescing a turn into one job', async () => {
    const auditStore = createMemoryAuditStore();
    const logs = captureLogs();
    const jobs = createInProcessJobs({
      transport: { name: 'none', send: async () => {}, close: async () => {} },
      auditStore,
      logger: logs.logger,
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => jobs.auditEvent(event(i))));
    await jobs.whenIdle();
    expect(await rowsOf(auditStore)).toBe(5);
    expect(logs.jobLines()).toEqual([expect.objectContaining({ queue: AUDIT_EVENTS_QUEUE, events: 5 })]);
    await jobs.close();
  });
});
