/**
 * The one error hierarchy of `@tses/otp`. Only faults throw (bad configuration, a caller bug,
 * an unreachable store); every normal "no" (rate limited, wrong code, locked) is a return value.
 */

/**
 * Stable, machine-readable error codes.
 *
 * @example
 * ```ts
 * const retryable = (code: OtpErrorCode) => code === 'ERR_OTP_STORE';
 * ```
 */
export type OtpErrorCode = 'ERR_OTP' | 'ERR_OTP_CONFIG' | 'ERR_OTP_INVALID_IP' | 'ERR_OTP_STORE';

/**
 * Base class of every error `@tses/otp` throws. Match on `code` (stable across versions),
 * not on `message`.
 *
 * @example
 * ```ts
 * try {
 *   await otp.verify({ email, otp: code });
 * } catch (error) {
 *   if (error instanceof OtpError && error.code === 'ERR_OTP_STORE') respondServiceUnavailable();
 *   else throw error;
 * }
 * ```
 */
export class OtpError extends Error {
  /** A stable string code for this kind of fault. */
  static code: OtpErrorCode = 'ERR_OTP';
  /** A stable string code for this kind of fault. */
  code: OtpErrorCode = 'ERR_OTP';

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
 * A configuration value is missing or out of range (for example a server secret shorter than
 * 32 bytes). Thrown by constructors, so a misconfigured service fails at start-up.
 *
 * @example
 * ```ts
 * new Otp({ serverSecret: 'short', store, limiter }); // throws OtpConfigError
 * ```
 */
export class OtpConfigError extends OtpError {
  static override code: OtpErrorCode = 'ERR_OTP_CONFIG';
  override code: OtpErrorCode = 'ERR_OTP_CONFIG';
}

/**
 * The client IP handed to `request` is not an IPv4 or IPv6 address. The IP comes from the
 * server (the socket or a trusted proxy header), not from the user, so this is a caller bug.
 *
 * @example
 * ```ts
 * await otp.request({ email, ip: 'not-an-ip' }); // rejects with InvalidIpError
 * ```
 */
export class InvalidIpError extends OtpError {
  static override code: OtpErrorCode = 'ERR_OTP_INVALID_IP';
  override code: OtpErrorCode = 'ERR_OTP_INVALID_IP';
}

/**
 * The store (Redis) or the rate limiter failed: unreachable, timed out, or answered with an
 * error. The original error is in `cause`.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof OtpStoreError) logger.error({ err: error.cause }, 'otp store down'); }
 * ```
 */
export class OtpStoreError extends OtpError {
  static override code: OtpErrorCode = 'ERR_OTP_STORE';
  override code: OtpErrorCode = 'ERR_OTP_STORE';
}

/**
 * Every concrete error class of this library, to narrow on `code` with a `switch`.
 *
 * @example
 * ```ts
 * function status(error: AnyOtpError): number {
 *   return error.code === 'ERR_OTP_STORE' ? 503 : 500;
 * }
 * ```
 */
export type AnyOtpError = OtpConfigError | InvalidIpError | OtpStoreError;
