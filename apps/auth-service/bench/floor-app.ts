// The floor of http.bench.ts: a minimal Koa app that does exactly the Redis work of
// `POST /otp/request` and nothing else. Same round trips, same scripts, same job options: the
// limiter's all-or-nothing `consumeAll` over an email and an IP key, the code's `SET … PX`, then
// the request's item in the `otp_issued` job its event-loop turn shares (one BullMQ `Queue.add`
// per turn). No middleware, no validation, no HMAC, no encryption, no logging: whatever this app
// cannot reach, the real endpoint cannot either.
import { randomUUID } from 'node:crypto';
import type { RateLimiter } from '@tses/redis-ratelimit';
import {
  jobOptionsFor,
  OTP_ISSUED_JOB,
  OTP_ISSUED_MAX_ITEMS,
  OTP_ISSUED_VERSION,
  otpIssuedTask,
  type RedisConnection,
} from '@tses/jobs';
import type { Queue } from 'bullmq';
import Koa from 'koa';

/** What the floor app needs: the service's own clients, so the Redis path is the same. */
export interface FloorAppOptions {
  readonly redis: RedisConnection;
  readonly limiter: RateLimiter;
  /** The `otp-issued` queue. */
  readonly queue: Queue;
  readonly keyPrefix: string;
}

const EMAIL_RULE = { name: 'otp-email', limit: 3, windowMs: 600_000 };
const IP_RULE = { name: 'otp-ip', limit: 1_000_000, windowMs: 3_600_000 };
// A payload of the real size: the encrypted-code envelope is 60 characters.
const ENVELOPE = `v1.${'A'.repeat(16)}.${'A'.repeat(8)}.${'A'.repeat(22)}`;
const CODE_HASH = 'f'.repeat(64);
const JOB_OPTIONS = jobOptionsFor(otpIssuedTask);

/** The items of one event-loop turn in one job, as the `otp_issued` publisher does. */
function turnBatcher(queue: Queue): (item: unknown) => Promise<unknown> {
  let open: { items: unknown[]; added: Promise<unknown> } | undefined;
  return (item) => {
    if (open !== undefined && open.items.length < OTP_ISSUED_MAX_ITEMS) {
      open.items.push(item);
      return open.added;
    }
    const items = [item];
    const batch = {
      items,
      added: new Promise((resolve) => setImmediate(resolve)).then(() => {
        if (open === batch) open = undefined;
        return queue.add(OTP_ISSUED_JOB, { version: OTP_ISSUED_VERSION, items }, JOB_OPTIONS);
      }),
    };
    open = batch;
    return batch.added;
  };
}

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
  const { redis, limiter, keyPrefix } = options;
  const add = turnBatcher(options.queue);
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
    await add({
      email,
      otp: ENVELOPE,
      expiresAt,
      audit: {
        id: randomUUID(),
        event: 'OTP_REQUESTED',
        email,
        ip: '127.0.0.1',
        userAgent: null,
        metadata: { request_id: randomUUID(), expires_at: expiresAt },
        occurredAt: new Date().toISOString(),
      },
    });
    ctx.status = 202;
    ctx.body = { message: 'ok', expires_in: 300, expires_at: expiresAt };
  });
  return app;
}
