import { Queue } from 'bullmq';
import { createMemoryAuditStore } from '@tses/audit';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullmqJobPublisher, OTP_EMAIL_QUEUE, startWorker, type JobPublisher } from '../src/index.js';
import { captureLogs, type CapturedLogs } from './support/log-capture.js';
import { recordingTransport } from './support/recording-transport.js';
import { deletePrefix, eventually, randomKey, randomPrefix, rawRedis, redisUrl } from './support/services.js';

describe('graceful shutdown of startWorker', () => {
  let prefix: string;
  let key: string;
  let logs: CapturedLogs;
  let redis: Redis;
  let publisher: JobPublisher;
  let queue: Queue;

  beforeEach(() => {
    prefix = randomPrefix();
    key = randomKey();
    logs = captureLogs();
    redis = rawRedis();
    publisher = createBullmqJobPublisher({ redisUrl, prefix, encryptionKey: key, logger: logs.logger });
    queue = new Queue(OTP_EMAIL_QUEUE, { connection: { url: redisUrl }, prefix });
  });
  afterEach(async () => {
    await publisher.close();
    await queue.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  const send = () =>
    publisher.sendOtpEmail({
      email: 'user@example.com',
      otp: '246810',
      expiresAt: new Date(Date.now() + 300_000),
    });

  it('lets a slow in-flight job finish before close() resolves', async () => {
    const transport = recordingTransport({ delayMs: 1_000 });
    const worker = startWorker({
      redisUrl,
      prefix,
      auditStore: createMemoryAuditStore(),
      transport,
      encryptionKey: key,
      logger: logs.logger,
    });
    await send();
    await eventually(() => transport.calls.length === 1);
    await worker.close();
    expect(transport.sent).toHaveLength(1);
    expect(logs.jobLines()).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    expect(await queue.getJobCountByTypes('wait', 'active', 'delayed', 'failed', 'completed')).toBe(0);
    await worker.close(); // idempotent
  });

  it('is bounded: a job still running at the timeout is abandoned and goes back for a retry', async () => {
    const transport = recordingTransport({ delayMs: 10_000 });
    const worker = startWorker({
      redisUrl,
      prefix,
      auditStore: createMemoryAuditStore(),
      transport,
      encryptionKey: key,
      logger: logs.logger,
      shutdownTimeoutMs: 300,
    });
    await send();
    await eventually(() => transport.calls.length === 1);
    const started = Date.now();
    await worker.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(transport.sent).toHaveLength(0);
    expect(logs.jobLines()).toEqual([expect.objectContaining({ outcome: 'retrying', attempt: 1 })]);
    expect(await queue.getJobCountByTypes('delayed', 'wait')).toBe(1); // not lost
  });
});
