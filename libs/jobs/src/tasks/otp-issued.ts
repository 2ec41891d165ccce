import { auditJobPayloadSchema, type AuditEventInput } from '@tses/audit';
import { z } from 'zod';
import { decryptOtp, encryptOtp } from '../crypto/otp-cipher.js';
import { composeOtpEmail, maskEmail } from '../email/otp-email.js';
import { captureTraceparent, inItemSpan, TRACEPARENT_PATTERN } from '../metrics/item-trace.js';
import { OTP_ISSUED_JOB, OTP_ISSUED_QUEUE } from '../names.js';
import { sendOtpEmailInputSchema, sendOtpEmailPayloadSchema } from './send-otp-email.js';
import {
  defineTask,
  jobOptionsFor,
  parseJobPayload,
  type RetryPolicy,
  type TaskDependencies,
  type TaskContext,
} from './task.js';
import { TurnBatches } from './turn-batches.js';

/** The version of the `otp_issued` payload; a worker refuses any other. */
export const OTP_ISSUED_VERSION = 2;

/** Most codes one `otp_issued` job carries. */
export const OTP_ISSUED_MAX_ITEMS = 64;

/** What the API hands over for one issued code: the email's input and the audit event. */
export interface OtpIssuedInput {
  readonly email: string;
  /** The plain code, as `@tses/otp` returns it (encrypted before it leaves the process). */
  readonly otp: string;
  readonly expiresAt: Date;
  /** The `OTP_REQUESTED` event (`@tses/audit`'s input; its id makes the write idempotent). */
  readonly audit: AuditEventInput;
}

const itemSchema = z.strictObject({
  ...sendOtpEmailPayloadSchema.shape,
  audit: auditJobPayloadSchema,
  /**
   * The W3C `traceparent` of the request that issued the code, when it was traced: the job joins
   * one trace only, so the worker continues each item's own in a span of its own.
   */
  traceparent: z.string().regex(TRACEPARENT_PATTERN).optional(),
});

/**
 * Payload of an `otp_issued` job (version 2): the codes issued in one event-loop turn of one
 * API process, each with its email (the code as an AES-256-GCM envelope bound to the address)
 * and its audit event. Replaces a `send_otp_email` plus a `write_audit_log` job per code:
 * one BullMQ add for many requests instead of two per request.
 */
export const otpIssuedPayloadSchema = z.strictObject({
  version: z.literal(OTP_ISSUED_VERSION),
  items: z.array(itemSchema).min(1).max(OTP_ISSUED_MAX_ITEMS),
});

/** The `otp_issued` job data as stored in the queue. */
export type OtpIssuedPayload = z.infer<typeof otpIssuedPayloadSchema>;
type OtpIssuedItem = OtpIssuedPayload['items'][number];

/**
 * Retry policy: the audit write's (10 attempts, 1 s doubling, about 17 minutes: a PostgreSQL
 * restart loses no row). The email goes out on the first attempts; later ones skip a code that
 * has expired meanwhile, and never resend one already sent.
 */
export const otpIssuedRetry: RetryPolicy = { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };

// Completed jobs are removed at once (their ciphertexts have no further use), failed ones kept a
// week for inspection.
const retention = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600, count: 10_000 } };
const jobOptions = jobOptionsFor({ retry: otpIssuedRetry, retention });

// The publisher's input, validated once and to the payload's own rules (the address as the worker
// checks it), so one bad item can never make a whole batch invalid: the code as `send_otp_email`
// takes it, the audit event as `@tses/audit` queues it (normalised, `occurredAt` as ISO 8601).
const inputSchema = z.strictObject({
  ...sendOtpEmailInputSchema.shape,
  email: sendOtpEmailPayloadSchema.shape.email,
  audit: auditJobPayloadSchema,
});

/** One item, validated and with its code encrypted: what goes into the job. */
function toItem(input: OtpIssuedInput, encryptionKey: Parameters<typeof encryptOtp>[2]): OtpIssuedItem {
  const parsed = parseJobPayload(OTP_ISSUED_JOB, inputSchema, input);
  const traceparent = captureTraceparent();
  return {
    email: parsed.email,
    otp: encryptOtp(parsed.otp, parsed.email, encryptionKey),
    expiresAt: parsed.expiresAt.toISOString(),
    audit: parsed.audit,
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}

const batches = new TurnBatches<OtpIssuedItem>({
  jobName: OTP_ISSUED_JOB,
  version: OTP_ISSUED_VERSION,
  maxItems: OTP_ISSUED_MAX_ITEMS,
  options: jobOptions,
  data: (version, items) => ({ version, items }),
});

/** The email step of one item: sent at most once per job, skipped once the code expired. */
async function sendEmail(
  item: OtpIssuedItem,
  deps: TaskDependencies,
  context: TaskContext,
): Promise<'sent' | 'already-sent' | 'expired' | 'undecryptable'> {
  const step = `email:${item.audit.id}`;
  if (context.steps.done.has(step)) return 'already-sent';
  const now = deps.now();
  const expiresAt = new Date(item.expiresAt);
  if (expiresAt.getTime() <= now.getTime()) return 'expired';
  let code: string;
  try {
    code = decryptOtp(item.otp, item.email, deps.encryptionKey);
  } catch {
    // No retry can decrypt it (wrong key or tampered data); the other items still go out.
    context.logger.error({ to: maskEmail(item.email), eventId: item.audit.id }, 'OTP envelope undecryptable');
    return 'undecryptable';
  }
  await deps.transport.send(composeOtpEmail({ to: item.email, code, expiresAt, now }), {
    signal: context.signal,
  });
  // Recorded before anything else can fail: a retry of this job must not mail the code again.
  await context.steps.markDone(step);
  return 'sent';
}

/**
 * Both steps of one item, in the span of the request that issued the code when it was traced (the
 * audit write's own span nests inside). The audit write is idempotent by event id, so a retry
 * simply runs it again.
 */
function runItem(item: OtpIssuedItem, deps: TaskDependencies, context: TaskContext) {
  return inItemSpan(
    'otp_issued item',
    item.traceparent,
    { 'messaging.destination.name': OTP_ISSUED_QUEUE, 'tses.audit.event_id': item.audit.id },
    async (span) => {
      const [email, audit] = await Promise.allSettled([
        sendEmail(item, deps, context),
        deps.auditStore.write(item.audit),
      ]);
      if (email.status === 'fulfilled') span.setAttribute('tses.otp_issued.email', email.value);
      for (const [step, result] of [
        ['email', email],
        ['audit', audit],
      ] as const) {
        if (result.status === 'rejected') {
          const err = result.reason instanceof Error ? result.reason : new Error(String(result.reason));
          span.fail(err.name);
          context.logger.warn(
            {
              step,
              to: maskEmail(item.email),
              eventId: item.audit.id,
              err: { type: err.name, message: err.message },
            },
            'otp_issued step failed',
          );
        }
      }
      return { email, audit };
    },
  );
}

/**
 * The codes issued by the API (`jobs.otpIssued`): for each, the email with the code and the
 * `OTP_REQUESTED` audit row, once each. Publishing coalesces the calls of one event-loop turn
 * into one job (at most {@link OTP_ISSUED_MAX_ITEMS} codes). The worker sends every email not
 * yet sent (marking each in the job as it goes out, so a retry does not send it again; an expired
 * code is skipped) and writes every audit row (idempotent by event id); if any step failed, the
 * job is retried and only what failed runs again.
 */
export const otpIssuedTask = defineTask<'otpIssued', OtpIssuedInput, typeof otpIssuedPayloadSchema>({
  name: OTP_ISSUED_JOB,
  queue: OTP_ISSUED_QUEUE,
  publishAs: 'otpIssued',
  payload: otpIssuedPayloadSchema,
  retry: otpIssuedRetry,
  retention,
  async enqueue(queue, input, { encryptionKey }) {
    return batches.add(queue, toItem(input, encryptionKey));
  },
  async run(payload, deps, context) {
    const results = await Promise.all(payload.items.map((item) => runItem(item, deps, context)));
    const count = (status: string) =>
      results.filter((r) => r.email.status === 'fulfilled' && r.email.value === status).length;
    const failed = results.filter((r) => r.email.status === 'rejected' || r.audit.status === 'rejected');
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${payload.items.length} issued codes have a step left to retry`);
    }
    return {
      outcome: 'completed',
      detail: {
        items: payload.items.length,
        sent: count('sent'),
        alreadySent: count('already-sent'),
        expired: count('expired'),
        undecryptable: count('undecryptable'),
        auditInserted: results.filter((r) => r.audit.status === 'fulfilled' && r.audit.value.inserted).length,
        transport: deps.transport.name,
      },
    };
  },
});
