import type { OtpRateLimitScope } from '@tses/otp';
import { HttpProblem } from './problem.js';

/** Seconds, rounded up, for `Retry-After` and the `*_after`/`*_eta` members. */
export function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Reasons for a 401, in RFC 6750 §3.1 terms. */
export type UnauthorizedReason = 'missing_token' | 'invalid_token';

/**
 * 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3). A request without credentials gets no
 * `error` attribute (RFC 6750 §3.1); a bad token gets `error="invalid_token"`.
 */
export class UnauthorizedProblem extends HttpProblem {
  constructor(reason: UnauthorizedReason, detail?: string) {
    const challenge =
      reason === 'missing_token'
        ? 'Bearer realm="tses"'
        : `Bearer realm="tses", error="invalid_token", error_description="${detail ?? 'The access token is invalid or expired.'}"`;
    super({
      slug: reason === 'missing_token' ? 'unauthenticated' : 'invalid-token',
      status: 401,
      title: 'Unauthorized',
      detail:
        detail ??
        (reason === 'missing_token'
          ? 'This endpoint requires a Bearer access token.'
          : 'The access token is invalid or expired.'),
      headers: { 'WWW-Authenticate': challenge },
    });
  }
}

/** 401 for a refresh token that is invalid, expired, revoked or already used. */
export class InvalidRefreshTokenProblem extends HttpProblem {
  constructor(detail = 'The refresh token is invalid, expired or revoked.') {
    super({ slug: 'invalid-refresh-token', status: 401, title: 'Unauthorized', detail });
  }
}

/** 403: authenticated, but not allowed to see this. */
export class ForbiddenProblem extends HttpProblem {
  constructor(detail: string) {
    super({ slug: 'forbidden', status: 403, title: 'Forbidden', detail });
  }
}

/** 429 with `Retry-After` and the binding scope (`@tses/otp`'s, or `ip` for the verify limit). */
export class RateLimitedProblem extends HttpProblem {
  constructor(
    scope: OtpRateLimitScope,
    retryAfterMs: number,
    headers: Readonly<Record<string, string>> = {},
  ) {
    const retryAfter = toSeconds(retryAfterMs);
    super({
      slug: 'rate-limited',
      status: 429,
      title: 'Too many requests',
      detail: `Too many requests for this ${scope === 'email' ? 'email address' : 'IP address'}; retry in ${retryAfter} s.`,
      extensions: { retry_after: retryAfter, scope },
      headers: { ...headers, 'Retry-After': String(retryAfter) },
    });
  }
}

/** 400: the code is wrong, expired or was never requested (one indistinguishable answer); a failure was counted. */
export class InvalidOtpProblem extends HttpProblem {
  constructor(attemptsRemaining: number) {
    super({
      slug: 'invalid-otp',
      status: 400,
      title: 'Invalid code',
      detail: `The code is invalid or expired. ${attemptsRemaining} attempt${attemptsRemaining === 1 ? '' : 's'} remaining before the address is locked.`,
      extensions: { attempts_remaining: attemptsRemaining },
    });
  }
}

/** 423: too many failed codes; every attempt is refused until the lock ends. */
export class OtpLockedProblem extends HttpProblem {
  constructor(unlockInMs: number) {
    const unlockEta = toSeconds(unlockInMs);
    super({
      slug: 'otp-locked',
      status: 423,
      title: 'Locked',
      detail: `Too many failed attempts; verification for this address is locked for ${unlockEta} s.`,
      extensions: { unlock_eta: unlockEta },
      headers: { 'Retry-After': String(unlockEta) },
    });
  }
}

/**
 * 400: the right code, already spent (a repeated submission). Only the holder of the code can get
 * this answer, so it reveals nothing to a guesser; it is not a failed attempt.
 */
export class OtpUsedProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'otp-used',
      status: 400,
      title: 'Code already used',
      detail: 'This code has already been used to sign in. Request a new code to sign in again.',
    });
  }
}

/**
 * 400: the right code, held by another request that is signing in with it now. If that request
 * fails, the code becomes usable again: retry after `retry_after` seconds. Not a failed attempt.
 */
export class OtpInProgressProblem extends HttpProblem {
  constructor(retryAfterMs: number) {
    const retryAfter = toSeconds(retryAfterMs);
    super({
      slug: 'otp-in-progress',
      status: 400,
      title: 'Code in use',
      detail: `Another request is signing in with this code; retry in ${retryAfter} s if it did not succeed.`,
      extensions: { retry_after: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}
