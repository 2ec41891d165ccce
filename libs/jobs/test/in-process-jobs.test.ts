import { randomUUID } from 'node:crypto';
import { createMemoryAuditStore } from '@tses/audit';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_QUEUE_NAME,
  createConsoleTransport,
  createInProcessJobs,
  InvalidJobPayloadError,
  OTP_EMAIL_QUEUE,
  PublisherClosedError,
} from '../src/index.js';
import { captureLogs } from './support/log-capture.js';
import { codeIn, recordingTransport } from './support/recording-transport.js';

const inFiveMinutes = () => new Date(Date.now() + 300_000);
const FAST = { attempts: 3, backoff: { type: 'exponential', delay: 50, jitter: 0 } } as const;

describe('createInProcessJobs (embedded mode)', () => {
  it('returns before the job runs, then runs the same task: one console line, no code in the logs', async () => {
    const logs = captureLogs();
    const lines: string[] = [];
    const jobs = createInProcessJobs({
      transport: createConsoleTransport({ write: (line) => lines.push(line) }),
      auditStore: createMemoryAuditStore(),
      logger: logs.logger,
    });
    await jobs.sendOtpEmail({ email: 'user@example.com', otp: '135790', expiresAt: inFiveMinutes() });
    expect(lines).toHaveLength(0); // not run yet: the HTTP response is never held up
    expect(jobs.pending).toBe(1);
    await jobs.whenIdle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[email\] to=user@example\.com subject="Your sign-in code" \| Your sign-in code is 135790\./,
    );
    expect(logs.jobLines()).toEqual([
      expect.objectContaining({
        queue: OTP_EMAIL_QUEUE,
        jobName: 'send_otp_email',
        attempt: 1,
        outcome: 'completed',
        to: 'u***@example.com',
      }),
    ]);
    expect(logs.text()).not.toContain('135790');
    await jobs.close();
  });

  it('retries with backoff, then succeeds', async () => {
    const logs = captureLogs();
    const transport = recordingTransport({ failFirst: 2 });
    const jobs = createInProcessJobs({
      transport,
      auditStore: createMemoryAuditStore(),
      logger: logs.logger,
      retry: { send_otp_email: FAST },
    });
    await jobs.sendOtpEmail({ email: 'user@example.com', otp: '864202', expiresAt: inFiveMinutes() });
    await jobs.whenIdle();
    expect(codeIn(transport.sent[0])).toBe('864202');
    const [t1, t2, t3] = transport.calls as [number, number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(45);
    expect(t3 - t2).toBeGreaterThanOrEqual(95);
    expect(logs.jobLines().map((l) => l['outcome'])).toEqual(['retrying', 'retrying', 'completed']);
    await jobs.close();
  });

  it('skips an expired code and writes an audit event once even when published twice', async () => {
    const logs = captureLogs();
    const transport = recordingTransport();
    const auditStore = createMemoryAuditStore();
    const jobs = createInProcessJobs({ transport, auditStore, logger: logs.logger });
    await jobs.sendOtpEmail({
      email: 'user@example.com',
      otp: '000111',
      expiresAt: new Date(Date.now() - 1),
    });
    const event = {
      id: randomUUID(),
      event: 'OTP_VERIFIED',
      email: 'user@example.com',
      occurredAt: new Date(),
    };
    await Promise.all([jobs.writeAuditLog(event), jobs.writeAuditLog(event)]);
    await jobs.whenIdle();
    expect(transport.calls).toHaveLength(0);
    expect((await auditStore.queryPage()).count).toBe(1);
    const byQueue = (queue: string) =>
      logs
        .jobLines()
        .filter((l) => l['queue'] === queue)
        .map((l) => [l['outcome'], l['inserted'] ?? l['reason']]);
    expect(byQueue(OTP_EMAIL_QUEUE)).toEqual([['skipped', 'expired']]);
    expect(byQueue(AUDIT_QUEUE_NAME).sort()).toEqual([
      ['completed', false],
      ['completed', true],
    ]);
    await jobs.close();
  });

  it('validates input when publishing', async () => {
    const jobs = createInProcessJobs({
      transport: recordingTransport(),
      auditStore: createMemoryAuditStore(),
      logger: captureLogs().logger,
    });
    await expect(
      jobs.sendOtpEmail({ email: 'user@example.com', otp: '', expiresAt: new Date() }),
    ).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(
      jobs.writeAuditLog({ id: 'x', event: 'OTP_FAILED', email: 'a@b.c', occurredAt: new Date() }),
    ).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await jobs.close();
  });

  it('close() drains in-flight jobs, then refuses new ones', async () => {
    const transport = recordingTransport({ delayMs: 300 });
    const jobs = createInProcessJobs({
      transport,
      auditStore: createMemoryAuditStore(),
      logger: captureLogs().logger,
    });
    await jobs.sendOtpEmail({ email: 'user@example.com', otp: '121212', expiresAt: inFiveMinutes() });
    await jobs.close();
    expect(transport.sent).toHaveLength(1);
    await expect(
      jobs.sendOtpEmail({ email: 'user@example.com', otp: '1', expiresAt: inFiveMinutes() }),
    ).rejects.toBeInstanceOf(PublisherClosedError);
  });

  it('close() is bounded: a stuck job is abandoned after shutdownTimeoutMs, and a pending retry runs once more at once', async () => {
    const logs = captureLogs();
    const stuck = recordingTransport({ delayMs: 10_000 });
    const jobs = createInProcessJobs({
      transport: stuck,
      auditStore: createMemoryAuditStore(),
      logger: logs.logger,
      shutdownTimeoutMs: 200,
    });
    await jobs.sendOtpEmail({ email: 'user@example.com', otp: '343434', expiresAt: inFiveMinutes() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await jobs.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(
      logs
        .entries()
        .some((e) => e['msg'] === 'in-process jobs abandoned at shutdown' && e['abandoned'] === 1),
    ).toBe(true);

    const flaky = recordingTransport({ failFirst: 1 });
    const retrying = createInProcessJobs({
      transport: flaky,
      auditStore: createMemoryAuditStore(),
      logger: captureLogs().logger,
      retry: { send_otp_email: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
    });
    await retrying.sendOtpEmail({ email: 'user@example.com', otp: '565656', expiresAt: inFiveMinutes() });
    await new Promise((resolve) => setTimeout(resolve, 20)); // first attempt failed; retry due in 60 s
    await retrying.close();
    expect(codeIn(flaky.sent[0])).toBe('565656');
  });
});
