// The floor of http.bench.ts: a minimal Koa app that does exactly the Redis work of
// `POST /otp/request` and nothing else. Same round trips, same scripts, same job options: the
// limiter's all-or-nothing `consumeAll` over an email and an IP key, the code's `SET … PX`, then
// the two BullMQ `Queue.add` calls side by side. No middleware, no validation, no HMAC, no
// encryption, no logging: whatever this app cannot reach, the real endpoint cannot either.
import { randomUUID } from 'node:crypto';
import { auditJobOptions, WRITE_AUDIT_LOG_JOB } from '@tses/audit';
import type { RateLimiter } from '@tses/redis-ratelimit';
import { jobOptionsFor, SEND_OTP_EMAIL_JOB, sendOtpEmailTask } from '@tses/jobs';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import Koa from 'koa';

/** What the floor app needs: the service's own clients, so the Redis path is the same. */
export interface FloorAppOptions {
  readonly redis: Redis;
  readonly limiter: RateLimiter;
  readonly emailQueue: Queue;
  readonly auditQueue: Queue;
  readonly keyPrefix: string;
}

const EMAIL_RULE = { name: 'otp-email', limit: 3, windowMs: 600_000 };
const IP_RULE = { name: 'otp-ip', limit: 1_000_000, windowMs: 3_600_000 };
// A payload of the real size: the encrypted-code envelope is 60 characters.
const ENVELOPE = `v1.${'A'.repeat(16)}.${'A'.repeat(8)}.${'A'.repeat(22)}`;
const CODE_HASH = 'f'.repeat(64);
const EMAIL_JOB_OPTIONS = jobOptionsFor(sendOtpEmailTask);

async function readJson(req: Koa.Request['req']): Promise<{ email: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { email: string };
}

/**
 * Builds the floor app.
 *
 * @param options - The service's Redis client, limiter and queues.
 * @returns A Koa app answering every POST like `/otp/request` does, minus the app's own work.
 */
export function createFloorApp(options: FloorAppOptions): Koa {
  const { redis, limiter, emailQueue, auditQueue, keyPrefix } = options;
  const app = new Koa();
  app.use(async (ctx) => {
    const { email } = await readJson(ctx.req);
    const subject = `${keyPrefix}floor:{e:${email}}`;
    const decision = await limiter.consumeAll([
      { key: `${subject}:req`, rule: EMAIL_RULE },
      { key: `${keyPrefix}floor:{i:${ctx.req.socket.remoteAddress}}:req`, rule: IP_RULE },
    ]);
    if (!decision.allowed) throw new Error('the floor app must never be limited');
    await redis.set(`${subject}:code`, CODE_HASH, 'PX', 300_000);
    const expiresAt = new Date(Date.now() + 300_000).toISOString();
    const id = randomUUID();
    await Promise.all([
      emailQueue.add(SEND_OTP_EMAIL_JOB, { email, otp: ENVELOPE, expiresAt }, EMAIL_JOB_OPTIONS),
      auditQueue.add(
        WRITE_AUDIT_LOG_JOB,
        {
          id,
          event: 'OTP_REQUESTED',
          email,
          ip: '127.0.0.1',
          userAgent: null,
          metadata: { request_id: randomUUID(), expires_at: expiresAt },
          occurredAt: new Date().toISOString(),
        },
        { ...auditJobOptions, jobId: id },
      ),
    ]);
    ctx.status = 202;
    ctx.body = { message: 'ok', expires_in: 300, expires_at: expiresAt };
  });
  return app;
}
