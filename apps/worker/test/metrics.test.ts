// The worker process with METRICS_PORT: its GET /metrics (token-guarded) reports exactly the job
// attempts it ran, by queue, job name and outcome, and the depth of both queues, read from real
// BullMQ queues on real Redis; no email or code in any label.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createBullmqJobPublisher } from '@tses/jobs';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { parsePrometheus, sampleSum } from '../../../scripts/test-support/prometheus.mjs';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';

const { redisUrl, databaseUrl } = testServiceUrls();
const cwd = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = randomBytes(32).toString('base64url');

describe('worker metrics (METRICS_PORT)', () => {
  const prefix = `tses-worker-metrics-${randomUUID()}`;
  const key = randomBytes(32).toString('base64');
  let child: ReturnType<typeof spawn> | undefined;
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const redis = new Redis(redisUrl);
    await deleteKeysMatching(redis, `${prefix}:*`);
    await redis.quit();
  });

  it('counts 12 concurrent email jobs as 12 completed attempts; queues drained; 401 without the token', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--conditions=@tses/source', '--import', 'tsx', 'src/main.ts'], {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        JOB_ENCRYPTION_KEY: key,
        QUEUE_PREFIX: prefix,
        EMAIL_TRANSPORT: 'console',
        LOG_LEVEL: 'warn',
        METRICS_PORT: String(port),
        METRICS_TOKEN: TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const url = `http://127.0.0.1:${port}/metrics`;
    const scrape = async () => {
      const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(200);
      return parsePrometheus(await r.text());
    };
    // Up once the metrics port answers.
    for (let i = 0; ; i++) {
      const up = await fetch(url).then(
        (r) => r.status,
        () => 0,
      );
      if (up !== 0) break;
      if (i > 100) throw new Error(`worker did not start: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(url)).status).toBe(401);

    const publisher = createBullmqJobPublisher({
      redisUrl,
      prefix,
      encryptionKey: key,
      logger: pino({ level: 'silent' }),
    });
    const emails = Array.from({ length: 12 }, (_, i) => `worker-metrics-${i}@example.com`);
    await Promise.all(
      emails.map((email) =>
        publisher.sendOtpEmail({ email, otp: '123456', expiresAt: new Date(Date.now() + 600_000) }),
      ),
    );
    await publisher.close();

    const completed = (samples: Awaited<ReturnType<typeof scrape>>) =>
      sampleSum(samples, 'tses_job_duration_count', {
        messaging_destination_name: 'otp-email',
        tses_job_name: 'send_otp_email',
        tses_job_outcome: 'completed',
      });
    let samples = await scrape();
    for (let i = 0; completed(samples) < 12 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      samples = await scrape();
    }
    expect(completed(samples)).toBe(12);
    expect(sampleSum(samples, 'tses_job_duration_count')).toBe(12);
    for (const queue of ['otp-email', 'audit']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(
          samples.filter(
            (s) =>
              s.name === 'tses_queue_jobs' &&
              s.labels['messaging_destination_name'] === queue &&
              s.labels['tses_queue_state'] === state,
          ),
        ).toEqual([expect.objectContaining({ value: 0 })]);
      }
    }
    const labels = samples.flatMap((s) => Object.values(s.labels));
    expect(labels.filter((v) => v.includes('example.com') || v.includes('123456'))).toEqual([]);
  });
});
