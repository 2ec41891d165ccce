/**
 * `@tses/worker`: the background jobs of the OTP service (sign-in code emails, audit writes),
 * their BullMQ contract, a BullMQ worker, and an in-process runner for embedded mode.
 *
 * @packageDocumentation
 */
export {
  InvalidEncryptionKeyError,
  InvalidJobPayloadError,
  OtpDecryptionError,
  PublisherClosedError,
  QueueUnavailableError,
  WorkerConfigError,
  WorkerError,
} from './errors.js';
export type { WorkerErrorCode } from './errors.js';

export {
  AUDIT_QUEUE_NAME,
  DEFAULT_QUEUE_PREFIX,
  OTP_EMAIL_QUEUE,
  SEND_OTP_EMAIL_JOB,
  WRITE_AUDIT_LOG_JOB,
} from './job-names.js';

export { parseEncryptionKey } from './crypto/encryption-key.js';
export type { JobEncryptionKey } from './crypto/encryption-key.js';
export { decryptOtp, encryptOtp, OTP_ENVELOPE_PATTERN } from './crypto/otp-cipher.js';

export {
  sendOtpEmailJobOptions,
  sendOtpEmailPayloadSchema,
  sendOtpEmailRetry,
  sendOtpEmailTask,
} from './tasks/send-otp-email.js';
export type { SendOtpEmailPayload } from './tasks/send-otp-email.js';
export { writeAuditLogRetry, writeAuditLogTask } from './tasks/write-audit-log.js';
export { backoffDelay } from './tasks/task.js';
export type { RetryPolicy, Task, TaskContext, TaskDependencies, TaskResult } from './tasks/task.js';
export type { RetryOverrides } from './tasks/registry.js';

export { sendOtpEmailInputSchema } from './publisher/job-publisher.js';
export type { JobPublisher, SendOtpEmailInput } from './publisher/job-publisher.js';
export { createBullmqJobPublisher } from './publisher/bullmq-publisher.js';
export type { BullmqJobPublisherOptions } from './publisher/bullmq-publisher.js';
export { createInProcessJobs } from './publisher/in-process-jobs.js';
export type { InProcessJobs, InProcessJobsOptions } from './publisher/in-process-jobs.js';

export { startWorker } from './worker/start-worker.js';
export type { RunningWorker, StartWorkerOptions } from './worker/start-worker.js';
export type { RedisSource } from './worker/redis-source.js';

export { createConsoleTransport } from './email/console-transport.js';
export type { ConsoleTransportOptions } from './email/console-transport.js';
export { createSmtpTransport } from './email/smtp-transport.js';
export type { SmtpTransportOptions } from './email/smtp-transport.js';
export type { EmailMessage, EmailTransport } from './email/email-transport.js';

export { parseWorkerEnv, workerEnvSchema } from './config/env.js';
export type { WorkerConfig } from './config/env.js';
export { createSafeLogger, createWorkerLogger, REDACTED, serializeError } from './config/logger.js';
export type { SafeLoggerOptions, WorkerLoggerOptions } from './config/logger.js';
