/** Stable codes of {@link TokenError}. */
export type TokenErrorCode = 'TOKEN_INVALID' | 'TOKEN_REUSED' | 'TOKEN_REVOKED';

/** Base of the token errors: the presented token must not be honoured. */
export class TokenError extends Error {
  override name = this.constructor.name;
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Bad signature, wrong algorithm/type/issuer/audience, expired, malformed. */
export class InvalidTokenError extends TokenError {
  constructor(message = 'The token is invalid or expired.', options?: { cause?: unknown }) {
    super('TOKEN_INVALID', message, options);
  }
}

/** An already-rotated refresh token was presented: treated as theft, the family is revoked. */
export class TokenReuseError extends TokenError {
  readonly sessionId: string;

  constructor(sessionId: string) {
    super('TOKEN_REUSED', 'The refresh token was already used; the session has been revoked.');
    this.sessionId = sessionId;
  }
}

/** The session was revoked (logout, or reuse detected earlier), has ended, or never existed. */
export class TokenRevokedError extends TokenError {
  constructor() {
    super('TOKEN_REVOKED', 'The session has ended or been revoked.');
  }
}
