// The task list is the one place a job is declared: the publishers' methods come from it, and each
// task's job options come from its declared retry policy and retention.
import { auditJobOptions, createMemoryAuditStore } from '@tses/audit';
import { describe, expect, it } from 'vitest';
import {
  createInProcessJobs,
  auditEventsTask,
  jobOptionsFor,
  otpIssuedTask,
  sendOtpEmailRetry,
  sendOtpEmailTask,
  TASKS,
  tasksByQueue,
  writeAuditLogTask,
} from '../src/index.js';
import { captureLogs } from './support/log-capture.js';
import { recordingTransport } from './support/recording-transport.js';

describe('the task list', () => {
  it('gives each publisher one method per task, named by its publishAs', async () => {
    const jobs = createInProcessJobs({
      transport: recordingTransport(),
      auditStore: createMemoryAuditStore(),
      logger: captureLogs().logger,
    });
    expect(TASKS.map((task) => task.publishAs)).toEqual([
      'otpIssued',
      'auditEvent',
      'sendOtpEmail',
      'writeAuditLog',
    ]);
    for (const task of TASKS) expect(typeof jobs[task.publishAs], task.publishAs).toBe('function');
    await jobs.close();
  });

  it('the worker consumes every queue of the list, each job name once', () => {
    const byQueue = tasksByQueue();
    // otp_issued and audit_events (v2) on queues of their own; the previous version's jobs stay
    // consumable.
    expect([...byQueue.keys()].sort()).toEqual(['audit', 'audit-events', 'otp-email', 'otp-issued']);
    expect([...byQueue.values()].flatMap((tasks) => [...tasks.keys()]).sort()).toEqual([
      'audit_events',
      'otp_issued',
      'send_otp_email',
      'write_audit_log',
    ]);
  });

  it('derives each task’s job options from its retry policy: one form, the same in BullMQ and in-process', () => {
    // write_audit_log's contract is @tses/audit's: the options enqueueAuditEvent adds it with are
    // exactly those the task's policy gives, so the in-process runner backs off as BullMQ does.
    expect(jobOptionsFor(writeAuditLogTask)).toEqual(auditJobOptions);
    expect(jobOptionsFor(sendOtpEmailTask)).toEqual({
      attempts: sendOtpEmailRetry.attempts,
      backoff: sendOtpEmailRetry.backoff,
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    });
    // Completed audit_events jobs stay a day (at most 1 000), for the queue board; otp_issued
    // jobs (encrypted codes) go at once.
    expect(jobOptionsFor(auditEventsTask)).toEqual({
      attempts: auditJobOptions.attempts,
      backoff: auditJobOptions.backoff,
      removeOnComplete: { age: 24 * 3600, count: 1_000 },
      removeOnFail: false,
    });
    expect(jobOptionsFor(otpIssuedTask)).toEqual({
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    });
  });
});
