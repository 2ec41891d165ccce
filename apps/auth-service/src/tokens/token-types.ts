import type { JSONWebKeySet } from 'jose';

/** `token_type` claim values (SimpleJWT's vocabulary). */
export type TokenKind = 'access' | 'refresh';

/** Who presented a valid access token: set on `ctx.state.auth`. */
export interface AccessPrincipal {
  /** `sub`: the user id. */
  readonly userId: string;
  readonly email: string;
  /** `sid`: the login session = refresh-token family. */
  readonly sessionId: string;
  /** `jti`. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/** A fresh access + refresh pair. */
export interface IssuedTokens {
  readonly access: string;
  readonly refresh: string;
  readonly tokenType: 'Bearer';
  /** Access-token lifetime in seconds. */
  readonly expiresIn: number;
  /** Refresh-token lifetime in seconds. */
  readonly refreshExpiresIn: number;
}

/** The subject tokens are issued for. */
export interface TokenSubject {
  readonly id: string;
  readonly email: string;
}

/**
 * Issues, verifies, rotates and revokes JWTs. Faults of the session store (Redis down) throw
 * as themselves; token problems throw {@link TokenError} subclasses.
 */
export interface TokenService {
  /** Starts a new session (refresh-token family) and issues its first pair. */
  issue(subject: TokenSubject): Promise<IssuedTokens>;
  /**
   * Verifies an access token: signature, pinned algorithm, `typ`, `token_type`, `iss`, `aud`,
   * `exp`, `iat` (not in the future beyond the clock tolerance), and that its session exists and
   * is not revoked.
   */
  verifyAccess(token: string): Promise<AccessPrincipal>;
  /** Rotates a refresh token atomically; a reused one revokes its whole family. */
  refresh(refreshToken: string): Promise<IssuedTokens>;
  /** Revokes the session of a refresh token (logout); its access tokens stop working too. */
  revoke(refreshToken: string): Promise<void>;
  /** The public keys, when tokens are signed with an asymmetric key (EdDSA). */
  jwks(): JSONWebKeySet | undefined;
}
