/**
 * `@tses/jobs`: the background jobs of the auth service, as both apps use them. The API publishes
 * (BullMQ, or in-process in embedded mode), the worker consumes; both from one task list: queue
 * and job names, payload schemas, retry policies, the encrypted-code envelope, the task modules,
 * the email transports, and the job variables of the environment.
 *
 * @packageDocumentation
 */
export {
  InvalidJobPayloadError,
  JobConfigError,
  JobError,
  OtpDecryptionError,
  PublisherClosedError,
  QueueUnavailableError,
} from './errors.js';
export type { AnyJobError, JobErrorCode } from './errors.js';

export {
  AUDIT_EVENTS_JOB,
  AUDIT_EVENTS_QUEUE,
  AUDIT_QUEUE_NAME,
  DEFAULT_QUEUE_PREFIX,
  OTP_EMAIL_QUEUE,
  OTP_ISSUED_JOB,
  OTP_ISSUED_QUEUE,
  SEND_OTP_EMAIL_JOB,
  WRITE_AUDIT_LOG_JOB,
} from './names.js';

export { parseEncryptionKey } from './crypto/encryption-key.js';
export type { JobEncryptionKey } from './crypto/encryption-key.js';
export { decryptOtp, encryptOtp, OTP_ENVELOPE_PATTERN } from './crypto/otp-cipher.js';

export { backoffDelay, defineTask, jobOptionsFor, parseJobPayload } from './tasks/task.js';
export type {
  JobQueue,
  PublishContext,
  QueuedJob,
  RetryPolicy,
  Task,
  TaskContext,
  JobSteps,
  TaskDependencies,
  TaskResult,
} from './tasks/task.js';
export {
  sendOtpEmailInputSchema,
  sendOtpEmailPayloadSchema,
  sendOtpEmailRetry,
  sendOtpEmailTask,
} from './tasks/send-otp-email.js';
export type { SendOtpEmailInput, SendOtpEmailPayload } from './tasks/send-otp-email.js';
export {
  AUDIT_EVENTS_MAX_ITEMS,
  AUDIT_EVENTS_VERSION,
  auditEventsPayloadSchema,
  auditEventsRetry,
  auditEventsTask,
} from './tasks/audit-events.js';
export type { AuditEventsPayload } from './tasks/audit-events.js';
export {
  OTP_ISSUED_MAX_ITEMS,
  OTP_ISSUED_VERSION,
  otpIssuedPayloadSchema,
  otpIssuedRetry,
  otpIssuedTask,
} from './tasks/otp-issued.js';
export type { OtpIssuedInput, OtpIssuedPayload } from './tasks/otp-issued.js';
export { writeAuditLogTask } from './tasks/write-audit-log.js';
export { retryPolicyOf, TASKS, tasksByQueue } from './tasks/task-list.js';
export type { AnyTask, RetryOverrides, TaskInput } from './tasks/task-list.js';

export type { JobPublisher } from './publish/job-publisher.js';
export { createBullmqJobPublisher } from './publish/bullmq-publisher.js';
export type { BullmqJobPublisherOptions } from './publish/bullmq-publisher.js';
export { createInProcessJobs } from './publish/in-process-jobs.js';
export type { InProcessJobs, InProcessJobsOptions } from './publish/in-process-jobs.js';

export { startWorker } from './run/start-worker.js';
export type { RunningWorker, StartWorkerOptions } from './run/start-worker.js';
export { bullmqPrefixFor } from './run/redis-source.js';
export type { RedisSource } from './run/redis-source.js';
export { createRedisClient } from './run/redis-client.js';
export { openQueueReaders } from './run/queue-readers.js';
export type { QueueReaders } from './run/queue-readers.js';
export type { RedisClientOptions, RedisConnection } from './run/redis-client.js';

export { createConsoleTransport } from './email/console-transport.js';
export type { ConsoleTransportOptions } from './email/console-transport.js';
export { createSmtpTransport } from './email/smtp-transport.js';
export type { SmtpTransportOptions } from './email/smtp-transport.js';
export type { EmailMessage, EmailTransport } from './email/email-transport.js';
export { emailTransportFromEnv } from './email/email-transport-from-env.js';

export { checkJobsEnv, emailTransportOf, jobsEnv } from './env/jobs-env.js';
export type { JobAttemptEvent } from './metrics/job-events.js';
export { jobDurationRecorder } from './metrics/job-metrics.js';
export { observeQueueDepths } from './metrics/queue-depths.js';
export { jobTracing } from './metrics/job-tracing.js';
