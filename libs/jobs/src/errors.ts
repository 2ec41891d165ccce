/**
 * The one error hierarchy of `@tses/jobs`, on the recipe of every `@tses` package: a stable `code`
 * (static and on the instance), `name`, `cause`, and {@link AnyJobError} to switch on.
 */

/**
 * Stable, machine-readable error codes.
 *
 * @example
 * ```ts
 * const retryLater = (code: JobErrorCode) => code === 'ERR_JOB_QUEUE_UNAVAILABLE';
 * ```
 */
export type JobErrorCode =
  | 'ERR_JOB'
  | 'ERR_JOB_CONFIG'
  | 'ERR_JOB_OTP_DECRYPTION'
  | 'ERR_JOB_PAYLOAD'
  | 'ERR_JOB_QUEUE_UNAVAILABLE'
  | 'ERR_JOB_PUBLISHER_CLOSED';

/**
 * Base class of every error `@tses/jobs` throws. Match on `code`, not on `message`.
 *
 * @example
 * ```ts
 * try {
 *   await jobs.sendOtpEmail({ email, otp, expiresAt });
 * } catch (error) {
 *   if (error instanceof JobError && error.code === 'ERR_JOB_QUEUE_UNAVAILABLE') return respond503();
 *   throw error;
 * }
 * ```
 */
export class JobError extends Error {
  /** A stable, machine-readable code. */
  static code: JobErrorCode = 'ERR_JOB';
  /** A stable, machine-readable code. */
  code: JobErrorCode = 'ERR_JOB';

  /**
   * @param message - What went wrong, for logs (never shown to end users as is).
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    Error.captureStackTrace?.(this, this.constructor);
  }
}

/**
 * The job encryption key (`JOB_ENCRYPTION_KEY`) is not 32 bytes in base64 or hex. The message
 * never contains the value.
 *
 * @example
 * ```ts
 * parseEncryptionKey('too-short'); // throws JobConfigError
 * ```
 */
export class JobConfigError extends JobError {
  static override code: JobErrorCode = 'ERR_JOB_CONFIG';
  override code: JobErrorCode = 'ERR_JOB_CONFIG';
}

/**
 * A ciphertext envelope is malformed, was encrypted under another key, was bound to another
 * email, or was tampered with. Never retried: another attempt cannot succeed.
 *
 * @example
 * ```ts
 * decryptOtp(envelope, 'someone-else@example.com', key); // throws OtpDecryptionError
 * ```
 */
export class OtpDecryptionError extends JobError {
  static override code: JobErrorCode = 'ERR_JOB_OTP_DECRYPTION';
  override code: JobErrorCode = 'ERR_JOB_OTP_DECRYPTION';
}

/**
 * A job's payload does not match its schema. `issues` lists field paths and reasons only,
 * never the values (they may be secret).
 *
 * @example
 * ```ts
 * await jobs.sendOtpEmail({ email: 'x', otp: '1', expiresAt: new Date() }); // rejects
 * ```
 */
export class InvalidJobPayloadError extends JobError {
  static override code: JobErrorCode = 'ERR_JOB_PAYLOAD';
  override code: JobErrorCode = 'ERR_JOB_PAYLOAD';
  /** The job whose payload was rejected. */
  readonly jobName: string;
  /** `path: reason` lines. */
  readonly issues: readonly string[];

  /**
   * @param jobName - The job whose payload was rejected.
   * @param issues - `path: reason` lines.
   */
  constructor(jobName: string, issues: readonly string[]) {
    super(`Invalid ${jobName} payload: ${issues.join('; ')}`);
    this.jobName = jobName;
    this.issues = issues;
  }
}

/**
 * The job backend (Redis) cannot take the job right now. Producers fail fast with this rather
 * than queueing in memory, so the API can answer 503 instead of hanging.
 *
 * @example
 * ```ts
 * if (error instanceof QueueUnavailableError) ctx.status = 503;
 * ```
 */
export class QueueUnavailableError extends JobError {
  static override code: JobErrorCode = 'ERR_JOB_QUEUE_UNAVAILABLE';
  override code: JobErrorCode = 'ERR_JOB_QUEUE_UNAVAILABLE';
}

/**
 * A job was published after `close()` was called.
 *
 * @example
 * ```ts
 * await jobs.close();
 * await jobs.writeAuditLog(event); // rejects with PublisherClosedError
 * ```
 */
export class PublisherClosedError extends JobError {
  static override code: JobErrorCode = 'ERR_JOB_PUBLISHER_CLOSED';
  override code: JobErrorCode = 'ERR_JOB_PUBLISHER_CLOSED';
}

/**
 * Every concrete error class of this package, to narrow on `code` with a `switch`.
 *
 * @example
 * ```ts
 * function status(error: AnyJobError): number {
 *   return error.code === 'ERR_JOB_QUEUE_UNAVAILABLE' ? 503 : 500;
 * }
 * ```
 */
export type AnyJobError =
  JobConfigError | OtpDecryptionError | InvalidJobPayloadError | QueueUnavailableError | PublisherClosedError;
