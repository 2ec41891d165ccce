import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OTP_EMAIL_QUEUE } from '../src/index.js';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { recordingTransport } from './support/recording-transport.js';
import { eventually } from './support/services.js';

describe('graceful shutdown of startWorker', () => {
  let h: BullmqHarness;
  beforeEach(() => {
    h = openBullmqHarness(OTP_EMAIL_QUEUE);
  });
  afterEach(() => h.close());

  const send = () =>
    h.publisher.sendOtpEmail({
      email: 'user@example.com',
      otp: '246810',
      expiresAt: new Date(Date.now() + 300_000),
    });

  it('lets a slow in-flight job finish before close() resolves', async () => {
    const transport = recordingTransport({ delayMs: 1_000 });
    const worker = h.startWorker({ transport });
    await send();
    await eventually(() => transport.calls.length === 1);
    await worker.close();
    expect(transport.sent).toHaveLength(1);
    expect(h.logs.jobLines()).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    expect(await h.queue.getJobCountByTypes('wait', 'active', 'delayed', 'failed', 'completed')).toBe(0);
    await worker.close(); // idempotent
  });

  it('is bounded: a job still running at the timeout is abandoned and goes back for a retry', async () => {
    const transport = recordingTransport({ delayMs: 10_000 });
    const worker = h.startWorker({ transport, shutdownTimeoutMs: 300 });
    await send();
    await eventually(() => transport.calls.length === 1);
    const started = Date.now();
    await worker.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(transport.sent).toHaveLength(0);
    expect(h.logs.jobLines()).toEqual([expect.objectContaining({ outcome: 'retrying', attempt: 1 })]);
    expect(await h.queue.getJobCountByTypes('delayed', 'wait')).toBe(1); // not lost
  });
});
