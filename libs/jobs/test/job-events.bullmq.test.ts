// startWorker's onJob (what the worker's job-duration metric records): one event per finished
// attempt on real BullMQ queues, `retrying` while attempts are left, `completed` or `failed` at the
// end, with the queue and job name and never the job's data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OTP_EMAIL_QUEUE, SEND_OTP_EMAIL_JOB, type JobAttemptEvent } from '../src/index.js';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { recordingTransport } from './support/recording-transport.js';
import { eventually } from './support/services.js';

const FAST_RETRY = { attempts: 3, backoff: { type: 'exponential', delay: 50, jitter: 0 } } as const;
const inFiveMinutes = () => new Date(Date.now() + 5 * 60_000);

describe('onJob: one event per finished attempt', () => {
  let h: BullmqHarness;
  beforeEach(() => {
    h = openBullmqHarness(OTP_EMAIL_QUEUE, { retry: { send_otp_email: FAST_RETRY } });
  });
  afterEach(() => h.close());

  it.each([
    [2, ['retrying', 'retrying', 'completed']],
    [5, ['retrying', 'retrying', 'failed']],
  ] as const)('%i failed sends of 3 attempts → %j', async (failFirst, outcomes) => {
    const events: JobAttemptEvent[] = [];
    h.startWorker({ transport: recordingTransport({ failFirst }), onJob: (e) => events.push(e) });
    await h.publisher.sendOtpEmail({ email: 'user@example.com', otp: '482913', expiresAt: inFiveMinutes() });
    await eventually(() => events.length === 3);
    expect(events.map((e) => e.outcome)).toEqual(outcomes);
    for (const e of events) {
      expect(e).toEqual({
        queue: OTP_EMAIL_QUEUE,
        name: SEND_OTP_EMAIL_JOB,
        outcome: e.outcome,
        durationMs: expect.any(Number),
      });
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});
