// The worker process with METRICS_PORT: its GET /metrics (token-guarded) reports exactly the job
// attempts it ran, by queue, job name and outcome (the previous version's `send_otp_email` and the
// batched `otp_issued`, whose audit writes go to a migrated schema of real PostgreSQL), and the
// depth of every queue of the task list, read from real BullMQ queues on real Redis; no email or
// code in any label.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { auditMigrationsDir, createAuditPool, runMigrations } from '@tses/audit';
import { createBullmqJobPublisher } from '@tses/jobs';
import { sql } from 'slonik';
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
  const schema = `worker_metrics_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
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
    const pool = await createAuditPool({ databaseUrl });
    await pool.query(sql.unsafe`DROP SCHEMA IF EXISTS ${sql.identifier([schema])} CASCADE`);
    await pool.end();
  });

  it('counts 12 email jobs and one otp_issued job of 5 codes as 13 completed attempts; every queue drained; 401 without the token', async () => {
    await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir] });
    const port = await freePort();
    child = spawn(process.execPath, ['--conditions=@tses/source', '--import', 'tsx', 'src/main.ts'], {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        // The worker writes audit rows to the connection's search_path: this test's schema.
        PGOPTIONS: `-c search_path=${schema}`,
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
    // Five codes issued in one turn: one otp_issued job.
    const issued = Array.from({ length: 5 }, (_, i) => `worker-issued-${i}@example.com`);
    await Promise.all(
      issued.map((email) =>
        publisher.otpIssued({
          email,
          otp: '654321',
          expiresAt: new Date(Date.now() + 600_000),
          audit: { id: randomUUID(), event: 'OTP_REQUESTED', email, occurredAt: new Date() },
        }),
      ),
    );
    await publisher.close();

    const completed = (samples: Awaited<ReturnType<typeof scrape>>, queue: string, job: string) =>
      sampleSum(samples, 'tses_job_duration_count', {
        messaging_destination_name: queue,
        tses_job_name: job,
        tses_job_outcome: 'completed',
      });
    const done = (samples: Awaited<ReturnType<typeof scrape>>) =>
      completed(samples, 'otp-email', 'send_otp_email') >= 12 &&
      completed(samples, 'otp-issued', 'otp_issued') >= 1;
    let samples = await scrape();
    for (let i = 0; !done(samples) && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      samples = await scrape();
    }
    expect(completed(samples, 'otp-email', 'send_otp_email')).toBe(12);
    expect(completed(samples, 'otp-issued', 'otp_issued')).toBe(1);
    expect(sampleSum(samples, 'tses_job_duration_count')).toBe(13);
    expect(sampleSum(samples, 'tses_audit_writes_total')).toBe(5);
    for (const queue of ['otp-issued', 'audit-events', 'otp-email', 'audit']) {
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
    expect(
      labels.filter((v) => v.includes('example.com') || v.includes('123456') || v.includes('654321')),
    ).toEqual([]);
  });
});
