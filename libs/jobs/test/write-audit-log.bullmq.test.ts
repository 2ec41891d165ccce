import { randomUUID } from 'node:crypto';
import { AUDIT_QUEUE_NAME, auditJobOptions, WRITE_AUDIT_LOG_JOB, type AuditEventInput } from '@tses/audit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { createTestAuditDatabase, eventually, type TestAuditDatabase } from './support/services.js';

const event = (): AuditEventInput => ({
  id: randomUUID(),
  event: 'OTP_REQUESTED',
  email: 'User@Example.com',
  ip: '203.0.113.7',
  userAgent: 'vitest',
  metadata: { attempt: 1 },
  occurredAt: new Date(),
});

describe('write_audit_log on real BullMQ queues and PostgreSQL (@tses/audit)', () => {
  let db: TestAuditDatabase;
  let h: BullmqHarness;

  beforeAll(async () => {
    db = await createTestAuditDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  beforeEach(() => {
    h = openBullmqHarness(AUDIT_QUEUE_NAME);
  });
  afterEach(() => h.close());

  const start = (auditStore: TestAuditDatabase['store']) => h.startWorker({ auditStore });

  it('writes exactly one row when the same event is enqueued twice, before and after it ran', async () => {
    const e = event();
    await Promise.all([h.publisher.writeAuditLog(e), h.publisher.writeAuditLog(e)]);
    expect(await h.queue.getJobCountByTypes('wait')).toBe(1); // jobId = event id
    start(db.store);
    await eventually(async () => (await db.countRows(e.id)) === 1);
    await h.publisher.writeAuditLog(e); // completed job still kept: dropped by BullMQ
    // A copy under another job id gets past BullMQ; the store's ON CONFLICT DO NOTHING stops it.
    await h.queue.add(
      WRITE_AUDIT_LOG_JOB,
      { ...e, occurredAt: (e.occurredAt as Date).toISOString() },
      { ...auditJobOptions, jobId: `copy-${e.id}` },
    );
    await eventually(() => h.logs.jobLines().length === 2);
    expect(await db.countRows(e.id)).toBe(1);
    expect(h.logs.jobLines().map((l) => [l['jobName'], l['outcome'], l['inserted']])).toEqual([
      [WRITE_AUDIT_LOG_JOB, 'completed', true],
      [WRITE_AUDIT_LOG_JOB, 'completed', false],
    ]);
    const page = await db.store.queryPage({ email: 'user@example.com' });
    expect(page.items[0]).toMatchObject({
      id: e.id,
      event: 'OTP_REQUESTED',
      ipAddress: '203.0.113.7',
      metadata: { attempt: 1 },
    });
  });

  it('a retry after a write whose acknowledgement was lost still leaves one row', async () => {
    const e = event();
    let calls = 0;
    start({
      async write(input) {
        const result = await db.store.write(input);
        if (++calls === 1) throw new Error('connection reset after COMMIT (simulated)');
        return result;
      },
      queryPage: db.store.queryPage,
      queryCursor: db.store.queryCursor,
    });
    await h.publisher.writeAuditLog(e);
    await eventually(() => h.logs.jobLines().length === 2); // first retry after 1 s (auditJobOptions)
    expect(h.logs.jobLines().map((l) => [l['attempt'], l['outcome'], l['inserted']])).toEqual([
      [1, 'retrying', undefined],
      [2, 'completed', false],
    ]);
    expect(await db.countRows(e.id)).toBe(1);
  });

  it('rejects an invalid event in the publisher, before Redis', async () => {
    await expect(h.publisher.writeAuditLog({ ...event(), id: 'not-a-uuid' })).rejects.toThrow(
      /Invalid write_audit_log payload: id/,
    );
    // BullMQ's Queue writes its own `<queue>:meta` when it connects, whatever is added; no job
    // (id counter, job hash, wait list, event) may exist.
    const keys = await h.redis.keys(`${h.prefix}:*`);
    expect(keys.filter((k) => !k.endsWith(':meta'))).toEqual([]);
  });
});
