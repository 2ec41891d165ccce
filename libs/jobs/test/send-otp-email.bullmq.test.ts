import { randomUUID } from 'node:crypto';
import { AUDIT_QUEUE_NAME } from '@tses/audit';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBullmqJobPublisher,
  encryptOtp,
  OTP_EMAIL_QUEUE,
  QueueUnavailableError,
  SEND_OTP_EMAIL_JOB,
  jobOptionsFor,
  sendOtpEmailTask,
} from '../src/index.js';
import { openBullmqHarness, type BullmqHarness } from './support/bullmq-harness.js';
import { codeIn, recordingTransport, type RecordingTransport } from './support/recording-transport.js';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { eventually, randomKey, redisUrl } from './support/services.js';

const FAST_RETRY = { attempts: 3, backoff: { type: 'exponential', delay: 200, jitter: 0 } } as const;
const inFiveMinutes = () => new Date(Date.now() + 5 * 60_000);

describe('send_otp_email on real BullMQ queues', () => {
  let h: BullmqHarness;
  beforeEach(() => {
    h = openBullmqHarness(OTP_EMAIL_QUEUE, { retry: { send_otp_email: FAST_RETRY } });
  });
  afterEach(() => h.close());

  const start = (transport: RecordingTransport) => h.startWorker({ transport });

  it('stores only ciphertext in Redis, sends the decrypted code, then removes the completed job', async () => {
    await h.publisher.sendOtpEmail({ email: 'user@example.com', otp: '482913', expiresAt: inFiveMinutes() });

    const keys = await h.redis.keys(`${h.prefix}:*`);
    const jobKey = `${h.prefix}:${OTP_EMAIL_QUEUE}:1`;
    expect(keys).toContain(jobKey);
    const hash = await h.redis.hgetall(jobKey);
    const data = JSON.parse(hash['data']!) as Record<string, string>;
    expect(data['email']).toBe('user@example.com');
    expect(data['otp']).toMatch(/^v1\./);
    for (const k of keys) {
      const type = await h.redis.type(k);
      const dump =
        type === 'hash'
          ? JSON.stringify(await h.redis.hgetall(k))
          : type === 'string'
            ? await h.redis.get(k)
            : '';
      expect(dump ?? '').not.toContain('482913');
    }

    const transport = recordingTransport();
    start(transport);
    await eventually(() => transport.sent.length === 1);
    expect(codeIn(transport.sent[0])).toBe('482913');
    expect(transport.sent[0]!.to).toBe('user@example.com');
    await eventually(async () => (await h.redis.exists(jobKey)) === 0);
    expect(await h.queue.getCompletedCount()).toBe(0);

    const [line] = h.logs.jobLines();
    expect(line).toMatchObject({
      queue: OTP_EMAIL_QUEUE,
      jobName: SEND_OTP_EMAIL_JOB,
      jobId: '1',
      attempt: 1,
      outcome: 'completed',
    });
    expect(line!['durationMs']).toEqual(expect.any(Number));
    expect(h.logs.text()).not.toContain('482913');
    expect(h.logs.text()).not.toContain(data['otp']);
  });

  it('does not send an already-expired code: skipped, not retried, removed', async () => {
    const transport = recordingTransport();
    start(transport);
    await h.publisher.sendOtpEmail({
      email: 'user@example.com',
      otp: '111222',
      expiresAt: new Date(Date.now() - 1_000),
    });
    await eventually(() => h.logs.jobLines().length === 1);
    expect(h.logs.jobLines()[0]).toMatchObject({ outcome: 'skipped', reason: 'expired', attempt: 1 });
    await eventually(
      async () =>
        (await h.queue.getJobCountByTypes('wait', 'active', 'delayed', 'failed', 'completed')) === 0,
    );
    expect(transport.calls).toHaveLength(0);
  });

  it('retries a transport failure with exponential backoff, then succeeds', async () => {
    const transport = recordingTransport({ failFirst: 2 });
    start(transport);
    await h.publisher.sendOtpEmail({ email: 'user@example.com', otp: '333444', expiresAt: inFiveMinutes() });
    await eventually(() => transport.sent.length === 1);
    const [t1, t2, t3] = transport.calls as [number, number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(190); // 200 ms
    expect(t3 - t2).toBeGreaterThanOrEqual(390); // 400 ms
    expect(h.logs.jobLines().map((l) => [l['attempt'], l['outcome']])).toEqual([
      [1, 'retrying'],
      [2, 'retrying'],
      [3, 'completed'],
    ]);
  });

  it('keeps a job that failed every attempt, for inspection', async () => {
    const transport = recordingTransport({ failFirst: Infinity });
    start(transport);
    await h.publisher.sendOtpEmail({ email: 'user@example.com', otp: '555666', expiresAt: inFiveMinutes() });
    const [failed] = await eventually(async () => {
      const jobs = await h.queue.getFailed();
      return jobs.length === 1 ? jobs : undefined;
    });
    expect(failed!.attemptsMade).toBe(3);
    expect(failed!.failedReason).toContain('simulated SMTP outage');
    expect(JSON.stringify(failed!.data)).not.toContain('555666');
    expect(h.logs.jobLines().at(-1)).toMatchObject({ attempt: 3, outcome: 'failed' });
  });

  it('fails a job that cannot be decrypted at once (UnrecoverableError), without sending', async () => {
    const transport = recordingTransport();
    start(transport);
    const wrongKey = randomKey();
    await h.queue.add(
      SEND_OTP_EMAIL_JOB,
      {
        email: 'user@example.com',
        otp: encryptOtp('777888', 'user@example.com', wrongKey),
        expiresAt: inFiveMinutes().toISOString(),
      },
      jobOptionsFor(sendOtpEmailTask),
    );
    await h.queue.add(
      SEND_OTP_EMAIL_JOB,
      { email: 'user@example.com', otp: '777888' },
      jobOptionsFor(sendOtpEmailTask),
    );
    const failed = await eventually(async () => {
      const jobs = await h.queue.getFailed();
      return jobs.length === 2 ? jobs : undefined;
    });
    expect(failed.map((job) => job.attemptsMade)).toEqual([1, 1]);
    expect(failed.map((job) => job.failedReason).sort()).toEqual(
      [
        expect.stringContaining('Invalid send_otp_email payload'),
        expect.stringContaining('failed authentication'),
      ].sort(),
    );
    expect(transport.calls).toHaveLength(0);
    expect(h.logs.text()).not.toContain('777888');
  });

  it('publishes through a client created with lazyConnect, leaving that client as it was', async () => {
    const lazy = new Redis(redisUrl, { lazyConnect: true });
    const lazyPublisher = createBullmqJobPublisher({
      connection: lazy,
      prefix: h.prefix,
      encryptionKey: h.key,
      logger: h.logs.logger,
      readyTimeoutMs: 2_000,
    });
    try {
      await lazyPublisher.sendOtpEmail({
        email: 'lazy@example.com',
        otp: '246810',
        expiresAt: inFiveMinutes(),
      });
      const eventId = randomUUID();
      await lazyPublisher.writeAuditLog({
        id: eventId,
        event: 'OTP_REQUESTED',
        email: 'lazy@example.com',
        occurredAt: new Date(),
      });
      const [job] = await h.queue.getWaiting();
      expect(job!.data).toMatchObject({ email: 'lazy@example.com', otp: expect.stringMatching(/^v1\./) });
      expect(await h.redis.exists(`${h.prefix}:${AUDIT_QUEUE_NAME}:${eventId}`)).toBe(1);
      // The publisher connected its own duplicate; the caller's lazy client is still untouched.
      expect(lazy.status).toBe('wait');
    } finally {
      await lazyPublisher.close();
      lazy.disconnect();
    }
  });

  it('publisher fails fast when Redis is unreachable', async () => {
    const down = createBullmqJobPublisher({
      redisUrl: `redis://127.0.0.1:${await freePort()}`, // nothing listens there
      prefix: h.prefix,
      encryptionKey: h.key,
      logger: h.logs.logger,
      readyTimeoutMs: 300,
    });
    const started = Date.now();
    await expect(
      down.sendOtpEmail({ email: 'user@example.com', otp: '123123', expiresAt: inFiveMinutes() }),
    ).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);
    await down.close();
  });
});
