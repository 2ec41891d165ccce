/**
 * Why a presented token is not honoured, on the error recipe of every `@tses` package: a stable
 * `code` (static and on the instance), `name`, `cause`, and {@link AnyTokenError} to switch on.
 */

/** Stable codes of {@link TokenError}. */
export type TokenErrorCode = 'ERR_TOKEN' | 'ERR_TOKEN_INVALID' | 'ERR_TOKEN_REUSED' | 'ERR_TOKEN_REVOKED';

/** Base of the token errors: the presented token must not be honoured. */
export class TokenError extends Error {
  static code: TokenErrorCode = 'ERR_TOKEN';
  code: TokenErrorCode = 'ERR_TOKEN';

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    Error.captureStackTrace?.(this, this.constructor);
  }
}

/** Bad signature, wrong algorithm/type/issuer/audience, expired, malformed. */
export class InvalidTokenError extends TokenError {
  static override code: TokenErrorCode = 'ERR_TOKEN_INVALID';
  override code: TokenErrorCode = 'ERR_TOKEN_INVALID';

  constructor(message = 'The token is invalid or expired.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An already-rotated refresh token was presented: treated as theft, the family is revoked. */
export class TokenReuseError extends TokenError {
  static override code: TokenErrorCode = 'ERR_TOKEN_REUSED';
  override code: TokenErrorCode = 'ERR_TOKEN_REUSED';
  readonly sessionId: string;

  constructor(sessionId: string) {
    super('The refresh token was already used; the session has been revoked.');
    this.sessionId = sessionId;
  }
}

/** The session was revoked (logout, or reuse detected earlier), has ended, or never existed. */
export class TokenRevokedError extends TokenError {
  static override code: TokenErrorCode = 'ERR_TOKEN_REVOKED';
  override code: TokenErrorCode = 'ERR_TOKEN_REVOKED';

  constructor() {
    super('The session has ended or been revoked.');
  }
}

/** Every concrete token error, to narrow on `code` with a `switch`. */
export type AnyTokenError = InvalidTokenError | TokenReuseError | TokenRevokedError;
