import type { EmailProblem } from './email.js';

/**
 * Input of {@link Otp.request}.
 *
 * @example
 * ```ts
 * const input: OtpRequestInput = { email: ctx.request.body.email, ip: ctx.ip };
 * ```
 */
export interface OtpRequestInput {
  /** The address as the user typed it; normalised before use. */
  readonly email: string;
  /** The client IP (from the socket or a trusted proxy header). */
  readonly ip: string;
}

/**
 * Input of {@link Otp.verify}.
 *
 * @example
 * ```ts
 * const input: OtpVerifyInput = { email: 'user@example.com', otp: '042517' };
 * ```
 */
export interface OtpVerifyInput {
  /** The address as the user typed it; normalised before use. */
  readonly email: string;
  /** The code as the user typed it (surrounding whitespace is ignored). */
  readonly otp: string;
}

/**
 * The email was rejected by `normalizeEmail`; nothing was counted or stored.
 *
 * @example
 * ```ts
 * if (result.status === 'invalid_email') return badRequest(result.message);
 * ```
 */
export interface OtpInvalidEmail {
  readonly status: 'invalid_email';
  readonly problem: EmailProblem;
  readonly message: string;
}

/**
 * The answer to {@link Otp.request}.
 *
 * @example
 * ```ts
 * const r: OtpRequestResult = await otp.request({ email, ip });
 * if (r.status === 'issued') await mailer.send(r.email, r.code);
 * ```
 */
export type OtpRequestResult =
  | {
      readonly status: 'issued';
      /** The code to deliver to `email`; it is stored only as an HMAC. */
      readonly code: string;
      /** The normalised address the code is bound to. */
      readonly email: string;
      readonly expiresAt: Date;
      readonly expiresInMs: number;
    }
  | {
      readonly status: 'rate_limited';
      /** The limit that refused: the email's or the IP's (the longer wait when both). */
      readonly scope: 'email' | 'ip';
      readonly retryAfterMs: number;
    }
  | OtpInvalidEmail;

/**
 * The answer to {@link Otp.verify}.
 *
 * @example
 * ```ts
 * const r: OtpVerifyResult = await otp.verify({ email, otp: code });
 * if (r.status === 'locked') ctx.set('Retry-After', String(Math.ceil(r.retryAfterMs / 1000)));
 * ```
 */
export type OtpVerifyResult =
  | { readonly status: 'verified'; /** The normalised address. */ readonly email: string }
  | {
      readonly status: 'invalid';
      /** Failed attempts left before the email locks (at least 1). */
      readonly attemptsRemaining: number;
    }
  | {
      readonly status: 'locked';
      /** Time until the lock ends, from the store's own clock (Redis `PTTL`). */
      readonly retryAfterMs: number;
      readonly unlocksAt: Date;
    }
  | OtpInvalidEmail;
