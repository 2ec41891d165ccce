import { randomUUID } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_QUEUE_NAME,
  auditJobOptions,
  AuditValidationError,
  createMemoryAuditStore,
  enqueueAuditEvent,
  parseAuditJobPayload,
  WRITE_AUDIT_LOG_JOB,
  type AuditJobPayload,
} from '../src/index.js';
import { redisUrl } from './support/database.js';

const prefix = `tses-audit-test-${randomUUID()}`;
// A typed BullMQ Queue: `enqueueAuditEvent` takes it as an `AuditQueue`.
let queue: Queue<AuditJobPayload, void, typeof WRITE_AUDIT_LOG_JOB>;

beforeAll(() => {
  const url = new URL(redisUrl);
  const connection: ConnectionOptions = {
    host: url.hostname,
    port: Number(url.port || 6379),
    enableOfflineQueue: false,
  };
  queue = new Queue(AUDIT_QUEUE_NAME, { connection, prefix });
  queue.on('error', () => {});
});

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
});

const event = () => ({
  id: randomUUID(),
  event: 'OTP_REQUESTED',
  email: ' Someone@Example.com ',
  ip: '2001:db8::1',
  userAgent: 'vitest',
  metadata: { channel: 'email' },
  occurredAt: '2026-03-01T14:00:00+02:00',
});

describe('BullMQ job contract', () => {
  it('adds a write_audit_log job with jobId = event id, the retry policy and a normalised payload', async () => {
    const input = event();
    const job = await enqueueAuditEvent(queue, input);
    expect(job.id).toBe(input.id);
    expect(job.name).toBe(WRITE_AUDIT_LOG_JOB);
    const stored = await queue.getJob(input.id);
    expect(stored?.data).toEqual({
      id: input.id,
      event: 'OTP_REQUESTED',
      email: 'someone@example.com',
      ip: '2001:db8::1',
      userAgent: 'vitest',
      metadata: { channel: 'email' },
      occurredAt: '2026-03-01T12:00:00.000Z',
    });
    expect(stored?.opts).toMatchObject({
      attempts: auditJobOptions.attempts,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: auditJobOptions.removeOnComplete,
    });
    expect(stored?.opts.removeOnFail).toBeFalsy();
  });

  it('deduplicates: enqueueing the same event 20 times at once leaves one job', async () => {
    const input = event();
    const jobs = await Promise.all(Array.from({ length: 20 }, () => enqueueAuditEvent(queue, input)));
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set([input.id]));
    const waiting = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(waiting.filter((j) => j.id === input.id)).toHaveLength(1);
  });

  it('rejects a bad event before touching Redis, naming the field', async () => {
    const before = await queue.count();
    const error = await enqueueAuditEvent(queue, { ...event(), email: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditValidationError);
    expect((error as AuditValidationError).field).toBe('email');
    expect(await queue.count()).toBe(before);
  });

  it('the worker side: parseAuditJobPayload accepts the stored data and the writer takes it as is', async () => {
    const input = event();
    await enqueueAuditEvent(queue, input);
    const stored = await queue.getJob(input.id);
    const payload = parseAuditJobPayload(stored?.data);
    const store = createMemoryAuditStore();
    expect(await store.write(payload)).toEqual({ inserted: true });
    expect(await store.write(payload)).toEqual({ inserted: false });
    expect(() => parseAuditJobPayload({ ...payload, occurredAt: 'yesterday' })).toThrow(AuditValidationError);
  });
});
