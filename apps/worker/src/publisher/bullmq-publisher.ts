import { AUDIT_QUEUE_NAME, auditJobOptions, WRITE_AUDIT_LOG_JOB, type AuditEventInput } from '@tses/audit';
import { Queue, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { parseEncryptionKey, type JobEncryptionKey } from '../crypto/encryption-key.js';
import { PublisherClosedError, QueueUnavailableError } from '../errors.js';
import { DEFAULT_QUEUE_PREFIX, OTP_EMAIL_QUEUE, SEND_OTP_EMAIL_JOB } from '../job-names.js';
import { retryPolicyOf, type RetryOverrides } from '../tasks/registry.js';
import { sendOtpEmailTask } from '../tasks/send-otp-email.js';
import { writeAuditLogTask } from '../tasks/write-audit-log.js';
import { jobOptionsFor, type Task } from '../tasks/task.js';
import {
  closeConnection,
  openProducerConnection,
  whenReady,
  type RedisSource,
} from '../worker/redis-source.js';
import { buildAuditPayload, buildSendOtpEmailPayload } from './build-payloads.js';
import type { JobPublisher, SendOtpEmailInput } from './job-publisher.js';

/** Options of {@link createBullmqJobPublisher}. */
export type BullmqJobPublisherOptions = RedisSource & {
  /** BullMQ key prefix; must match the worker's. Default `tses`. */
  readonly prefix?: string;
  /** `JOB_ENCRYPTION_KEY` (32 bytes, base64 or hex) or a parsed key. */
  readonly encryptionKey: string | JobEncryptionKey;
  readonly logger: Logger;
  /** How long a publish may wait for Redis to be (re)connected before failing. Default 1000 ms. */
  readonly readyTimeoutMs?: number;
  /**
   * Retry override for `send_otp_email` (tests). Audit jobs always use `@tses/audit`'s
   * `auditJobOptions`.
   */
  readonly retry?: RetryOverrides;
};

/**
 * A {@link JobPublisher} that queues jobs in Redis with BullMQ for `startWorker` to run.
 * Producers fail fast: when Redis is unreachable a publish rejects with `QueueUnavailableError`
 * within `readyTimeoutMs` instead of hanging the HTTP request. The publisher opens its own
 * connection (a fail-fast duplicate of `connection` if one is given, connecting at once even when
 * `connection` was created with `lazyConnect`) and closes it in `close()`.
 *
 * @param options - Redis, prefix, encryption key, logger.
 * @returns The publisher.
 * @throws `InvalidEncryptionKeyError` for a bad key.
 * @example
 * ```ts
 * const jobs = createBullmqJobPublisher({ redisUrl: env.REDIS_URL, encryptionKey: env.JOB_ENCRYPTION_KEY, logger });
 * await jobs.sendOtpEmail({ email, otp: code, expiresAt });
 * await jobs.close();
 * ```
 */
export function createBullmqJobPublisher(options: BullmqJobPublisherOptions): JobPublisher {
  const key = parseEncryptionKey(options.encryptionKey);
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const readyTimeoutMs = options.readyTimeoutMs ?? 1_000;
  const logger = options.logger.child({ component: 'job-publisher' });
  const connection = openProducerConnection(options, 'tses-job-producer');
  let reportedDown = false;
  connection.on('error', (err) => {
    // ioredis repeats the error on every reconnect attempt; log the outage once.
    if (!reportedDown) logger.error({ err: { message: err.message } }, 'job queue Redis connection error');
    reportedDown = true;
  });
  connection.on('ready', () => {
    if (reportedDown) logger.info('job queue Redis connection restored');
    reportedDown = false;
  });

  const queues = new Map<string, Queue>();
  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix });
      queue.on('error', (err) =>
        logger.error({ err: { message: err.message }, queue: name }, 'job queue error'),
      );
      queues.set(name, queue);
    }
    return queue;
  };
  let closed = false;
  // Built once: the options are the same for every job of a kind.
  const emailJobOptions = jobOptionsFor(sendOtpEmailTask, retryPolicyOf(sendOtpEmailTask, options.retry));

  async function publish(task: Task, add: () => Promise<Job>): Promise<void> {
    if (closed) throw new PublisherClosedError(`Cannot queue ${task.name}: the publisher is closed.`);
    await whenReady(connection, readyTimeoutMs);
    try {
      const job = await add();
      logger.debug({ queue: task.queue, jobName: task.name, jobId: job.id }, 'job queued');
    } catch (cause) {
      throw new QueueUnavailableError(`Could not queue ${task.name}.`, { cause });
    }
  }

  return {
    async sendOtpEmail(input: SendOtpEmailInput) {
      const payload = buildSendOtpEmailPayload(input, key);
      await publish(sendOtpEmailTask, () =>
        queueFor(OTP_EMAIL_QUEUE).add(SEND_OTP_EMAIL_JOB, payload, emailJobOptions),
      );
    },
    async writeAuditLog(event: AuditEventInput) {
      const payload = buildAuditPayload(event);
      // What @tses/audit's `enqueueAuditEvent` does (its job options, jobId = event id, so a
      // re-send is dropped while the job exists) minus its second validation of the payload
      // just validated: ~10 µs of zod per request (apps/auth-service/README.md, benchmark).
      await publish(writeAuditLogTask, () =>
        queueFor(AUDIT_QUEUE_NAME).add(WRITE_AUDIT_LOG_JOB, payload, {
          ...auditJobOptions,
          jobId: payload.id,
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      await closeConnection(connection);
    },
  };
}
