// POST /otp/request under concurrency, full mode with the real worker: every accepted request
// gets exactly one email with its own code and exactly one OTP_REQUESTED row, though the requests
// share `otp_issued` jobs; a refused request gets neither.
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { captureWorkerLog, type CapturedLog } from './helpers/log-capture.js';

const REQUEST = '/api/v1/auth/otp/request';
const COUNT = 40;

describe('POST /otp/request: one email and one audit row per accepted request (full mode)', () => {
  let h: FullHarness;
  let worker: CapturedLog;

  beforeAll(async () => {
    worker = captureWorkerLog();
    h = await startFullHarness({ workerLogger: worker.logger, otpSettings: { ipRequestLimit: 1_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`${COUNT} concurrent requests for distinct addresses, plus refused repeats of one`, async () => {
    const emails = Array.from({ length: COUNT }, (_, i) => `burst${i}@example.com`);
    // Address 0 five times more: its limit (3 per 10 minutes) refuses exactly three of its six.
    const bodies = [...emails, ...Array.from({ length: 5 }, () => emails[0]!)];
    const answers = await Promise.all(bodies.map((email) => h.client.post(REQUEST, { email })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(COUNT + 2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);

    await h.waitForCompleted('email', COUNT + 2);
    await h.waitForCompleted('audit', COUNT + 2);
    await h.settle();
    expect(h.mailbox.lines).toHaveLength(COUNT + 2);
    const recipients = h.mailbox.lines.map((line) => /to=(\S+)/.exec(line)?.[1]);
    for (const email of emails.slice(1)) expect(recipients.filter((r) => r === email)).toHaveLength(1);
    expect(recipients.filter((r) => r === emails[0])).toHaveLength(3);

    const rows = await h.pool.any(
      sql.unsafe`SELECT email, event FROM ${sql.identifier([h.schema, 'audit_log'])}`,
    );
    expect(rows).toHaveLength(COUNT + 2);
    expect(rows.every((row) => (row as { event: string }).event === 'OTP_REQUESTED')).toBe(true);

    // Every code travelled in exactly one otp_issued job, each completed at its first attempt (how
    // many requests share a job depends on timing here; @tses/jobs' tests pin the coalescing).
    const jobs = worker.lines().filter((line) => line['jobName'] === 'otp_issued');
    expect(jobs.map((line) => [line['outcome'], line['attempt']])).toEqual(jobs.map(() => ['completed', 1]));
    expect(jobs.reduce((sum, line) => sum + Number(line['items']), 0)).toBe(COUNT + 2);
    expect(jobs.reduce((sum, line) => sum + Number(line['sent']), 0)).toBe(COUNT + 2);
  });
});
