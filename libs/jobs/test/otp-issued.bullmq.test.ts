// otp_issued (version 2) on real BullMQ queues and real Redis: the publishes of one event-loop
// turn share one job; the worker sends each email and writes each audit row exactly once, also
// across retries; jobs of the previous version, still queued during a rolling deploy, still run.
import { randomUUID } from 'node:crypto';
import { AUDIT_QUEUE_NAME, createMemoryAuditStore, type AuditEventInput } from '@tses/audit';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInProcessJobs,
  jobOptionsFor,
  OTP_EMAIL_QUEUE,
  OTP_ISSUED_JOB,
  OTP_ISSUED_MAX_ITEMS,
  OTP_ISSUED_QUEUE,
  otpIssuedTask,
  type OtpIssuedInput,
} from '../src/index.js';
import { flakyAuditStore, rowsOf } from './support/audit-stores.js';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { captureLogs } from './support/log-capture.js';
import { codeIn, recordingTransport } from './support/recording-transport.js';
import { eventually, redisUrl } from './support/services.js';

const FAST_RETRY = { attempts: 4, backoff: { type: 'exponential', delay: 100, jitter: 0 } } as const;
const inFiveMinutes = () => new Date(Date.now() + 5 * 60_000);

function issued(n: number, expiresAt = inFiveMinutes()): OtpIssuedInput {
  const email = `user${n}@example.com`;
  const audit: AuditEventInput = {
    id: randomUUID(),
    event: 'OTP_REQUESTED',
    email,
    occurredAt: new Date(),
    metadata: { expires_at: expiresAt.toISOString() },
  };
  return { email, otp: String(100_000 + n), expiresAt, audit };
}

describe('otp_issued on real BullMQ queues', () => {
  let h: BullmqHarness;
  beforeEach(() => {
    h = openBullmqHarness(OTP_ISSUED_QUEUE, { retry: { otp_issued: FAST_RETRY } });
  });
  afterEach(() => h.close());

  it('coalesces the publishes of one turn into one job holding only ciphertexts; each email and row once', async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => issued(i));
    await Promise.all(inputs.map((input) => h.publisher.otpIssued(input)));

    const waiting = await h.queue.getWaiting();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.name).toBe(OTP_ISSUED_JOB);
    expect(waiting[0]!.data.version).toBe(2);
    expect(waiting[0]!.data.items).toHaveLength(20);
    const raw = JSON.stringify(await h.redis.hgetall(`${h.prefix}:${OTP_ISSUED_QUEUE}:${waiting[0]!.id}`));
    for (const input of inputs) expect(raw).not.toContain(`"${input.otp}"`);

    const transport = recordingTransport();
    const auditStore = createMemoryAuditStore();
    h.startWorker({ transport, auditStore });
    await eventually(async () => transport.sent.length === 20 && (await rowsOf(auditStore)) === 20);
    expect(new Map(transport.sent.map((m) => [m.to, codeIn(m)]))).toEqual(
      new Map(inputs.map((input) => [input.email, input.otp])),
    );
    await eventually(async () => (await h.queue.getJobCountByTypes('wait', 'active', 'completed')) === 0);
    expect(h.logs.jobLines()).toEqual([
      expect.objectContaining({ jobName: OTP_ISSUED_JOB, outcome: 'completed', items: 20, sent: 20 }),
    ]);
    expect(h.logs.text()).not.toContain(inputs[0]!.otp);
  });

  it('splits a turn beyond the item cap into several jobs, losing none', async () => {
    const count = OTP_ISSUED_MAX_ITEMS * 2 + 5;
    await Promise.all(Array.from({ length: count }, (_, i) => h.publisher.otpIssued(issued(i))));
    const jobs = await h.queue.getWaiting();
    expect(jobs.map((job) => job.data.items.length).sort((a, b) => a - b)).toEqual([
      5,
      OTP_ISSUED_MAX_ITEMS,
      OTP_ISSUED_MAX_ITEMS,
    ]);
  });

  it('a retry after a failed email resends only that email', async () => {
    const transport = recordingTransport({ failFirst: 1 });
    const auditStore = createMemoryAuditStore();
    h.startWorker({ transport, auditStore });
    const inputs = Array.from({ length: 5 }, (_, i) => issued(i));
    await Promise.all(inputs.map((input) => h.publisher.otpIssued(input)));
    await eventually(() => h.logs.jobLines().some((line) => line['outcome'] === 'completed'));
    expect(transport.calls).toHaveLength(6); // 5 sends + the failed one retried
    expect(transport.sent.map((m) => m.to).sort()).toEqual(inputs.map((i) => i.email).sort());
    expect(await rowsOf(auditStore)).toBe(5);
    expect(h.logs.jobLines().map((l) => [l['attempt'], l['outcome'], l['sent'], l['alreadySent']])).toEqual([
      [1, 'retrying', undefined, undefined],
      [2, 'completed', 1, 4],
    ]);
  });

  it('a retry after a failed audit write sends no email again and writes each row once', async () => {
    const transport = recordingTransport();
    const auditStore = flakyAuditStore(3);
    h.startWorker({ transport, auditStore });
    const inputs = Array.from({ length: 3 }, (_, i) => issued(i));
    await Promise.all(inputs.map((input) => h.publisher.otpIssued(input)));
    await eventually(() => h.logs.jobLines().some((line) => line['outcome'] === 'completed'));
    expect(transport.calls).toHaveLength(3);
    expect(auditStore.writes).toBe(6);
    expect(await rowsOf(auditStore)).toBe(3);
    expect(h.logs.jobLines().at(-1)).toMatchObject({ attempt: 2, alreadySent: 3, sent: 0, auditInserted: 3 });
  });

  it('skips an expired code but still writes its audit row', async () => {
    const transport = recordingTransport();
    const auditStore = createMemoryAuditStore();
    h.startWorker({ transport, auditStore });
    await h.publisher.otpIssued(issued(1, new Date(Date.now() - 1_000)));
    await eventually(() => h.logs.jobLines().length === 1);
    expect(h.logs.jobLines()[0]).toMatchObject({
      outcome: 'completed',
      expired: 1,
      sent: 0,
      auditInserted: 1,
    });
    expect(transport.calls).toHaveLength(0);
  });

  it('fails a payload of another version at once, without retrying or sending', async () => {
    const transport = recordingTransport();
    h.startWorker({ transport });
    await h.queue.add(OTP_ISSUED_JOB, { version: 3, items: [] }, jobOptionsFor(otpIssuedTask));
    const [failed] = await eventually(async () => {
      const jobs = await h.queue.getFailed();
      return jobs.length === 1 ? jobs : undefined;
    });
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toContain('Invalid otp_issued payload');
    expect(transport.calls).toHaveLength(0);
  });

  it('untraced (no SDK registered), an item carries no traceparent; a malformed one is refused', async () => {
    await h.publisher.otpIssued(issued(1));
    const [job] = await h.queue.getWaiting();
    expect(Object.keys(job!.data.items[0]).sort()).toEqual(['audit', 'email', 'expiresAt', 'otp']);
    const transport = recordingTransport();
    h.startWorker({ transport });
    const item = { ...job!.data.items[0], traceparent: 'not-a-traceparent' };
    await h.queue.add(OTP_ISSUED_JOB, { version: 2, items: [item] }, jobOptionsFor(otpIssuedTask));
    const [failed] = await eventually(async () => {
      const jobs = await h.queue.getFailed();
      return jobs.length === 1 ? jobs : undefined;
    });
    expect(failed!.failedReason).toContain('items.0.traceparent');
    await eventually(async () => transport.sent.length === 1);
  });

  it('rejects bad input before anything is queued', async () => {
    const bad = { ...issued(1), audit: { ...issued(1).audit, id: 'not-a-uuid' } };
    await expect(h.publisher.otpIssued(bad)).rejects.toMatchObject({ code: 'ERR_JOB_PAYLOAD' });
    await expect(h.publisher.otpIssued({ ...issued(2), otp: '' })).rejects.toMatchObject({
      code: 'ERR_JOB_PAYLOAD',
    });
    // An address the worker would refuse is refused here, before it could spoil a whole batch.
    await expect(h.publisher.otpIssued({ ...issued(3), email: 'a b@example.com' })).rejects.toMatchObject({
      code: 'ERR_JOB_PAYLOAD',
    });
    expect(await h.queue.getJobCountByTypes('wait', 'active', 'delayed')).toBe(0);
  });

  it('still runs jobs of the previous version (send_otp_email, write_audit_log) queued before a deploy', async () => {
    const old = issued(7);
    await h.publisher.sendOtpEmail({ email: old.email, otp: old.otp, expiresAt: old.expiresAt });
    await h.publisher.writeAuditLog(old.audit);
    await h.publisher.otpIssued(issued(8));
    const transport = recordingTransport();
    const auditStore = createMemoryAuditStore();
    h.startWorker({ transport, auditStore });
    await eventually(async () => transport.sent.length === 2 && (await rowsOf(auditStore)) === 2);
    expect(transport.sent.map((m) => [m.to, codeIn(m)]).sort()).toEqual([
      ['user7@example.com', old.otp],
      ['user8@example.com', issued(8).otp],
    ]);
    const queues = [OTP_EMAIL_QUEUE, AUDIT_QUEUE_NAME].map(
      (name) => new Queue(name, { connection: { url: redisUrl }, prefix: h.prefix }),
    );
    try {
      for (const queue of queues) {
        await eventually(async () => (await queue.getJobCountByTypes('wait', 'active', 'delayed')) === 0);
      }
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  });
});

describe('otp_issued in process (embedded mode)', () => {
  it('sends each email and writes each row once, coalescing a turn into one job', async () => {
    const transport = recordingTransport();
    const auditStore = createMemoryAuditStore();
    const logs = captureLogs();
    const jobs = createInProcessJobs({ transport, auditStore, logger: logs.logger });
    const inputs = Array.from({ length: 10 }, (_, i) => issued(i));
    await Promise.all(inputs.map((input) => jobs.otpIssued(input)));
    await jobs.whenIdle();
    expect(transport.sent.map((m) => m.to).sort()).toEqual(inputs.map((i) => i.email).sort());
    expect(await rowsOf(auditStore)).toBe(10);
    expect(logs.jobLines()).toEqual([expect.objectContaining({ queue: OTP_ISSUED_QUEUE, items: 10 })]);
    await jobs.close();
  });
});
