/**
 * The one error hierarchy of `@tses/worker`. Each class carries a stable `code`; match on it,
 * not on `message`.
 */

/** Stable, machine-readable error codes. */
export type WorkerErrorCode =
  | 'ERR_WORKER'
  | 'ERR_WORKER_CONFIG'
  | 'ERR_JOB_ENCRYPTION_KEY'
  | 'ERR_OTP_DECRYPTION'
  | 'ERR_JOB_PAYLOAD'
  | 'ERR_QUEUE_UNAVAILABLE'
  | 'ERR_PUBLISHER_CLOSED';

/**
 * Base class of every error `@tses/worker` throws.
 *
 * @example
 * ```ts
 * try {
 *   await jobs.sendOtpEmail({ email, otp, expiresAt });
 * } catch (error) {
 *   if (error instanceof WorkerError && error.code === 'ERR_QUEUE_UNAVAILABLE') return respond503();
 *   throw error;
 * }
 * ```
 */
export class WorkerError extends Error {
  /** A stable string code for this kind of fault. */
  readonly code: WorkerErrorCode = 'ERR_WORKER';

  /**
   * @param message - What went wrong, for logs (never shown to end users as is).
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

/**
 * The environment or an option is missing or invalid; thrown at start-up so a misconfigured
 * process never runs. `issues` names each offending variable.
 *
 * @example
 * ```ts
 * const result = parseWorkerEnv(process.env); // returns { ok: false, error: WorkerConfigError }
 * ```
 */
export class WorkerConfigError extends WorkerError {
  override readonly code = 'ERR_WORKER_CONFIG';

  /**
   * @param issues - One human-readable line per missing or invalid setting.
   */
  constructor(readonly issues: readonly string[]) {
    super(`Invalid worker configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/**
 * `JOB_ENCRYPTION_KEY` is not 32 bytes in base64 or hex. The message never contains the value.
 *
 * @example
 * ```ts
 * parseEncryptionKey('too-short'); // throws InvalidEncryptionKeyError
 * ```
 */
export class InvalidEncryptionKeyError extends WorkerError {
  override readonly code = 'ERR_JOB_ENCRYPTION_KEY';
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
export class OtpDecryptionError extends WorkerError {
  override readonly code = 'ERR_OTP_DECRYPTION';
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
export class InvalidJobPayloadError extends WorkerError {
  override readonly code = 'ERR_JOB_PAYLOAD';

  /**
   * @param jobName - The job whose payload was rejected.
   * @param issues - `path: reason` lines.
   */
  constructor(
    readonly jobName: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid ${jobName} payload: ${issues.join('; ')}`);
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
export class QueueUnavailableError extends WorkerError {
  override readonly code = 'ERR_QUEUE_UNAVAILABLE';
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
export class PublisherClosedError extends WorkerError {
  override readonly code = 'ERR_PUBLISHER_CLOSED';
}
