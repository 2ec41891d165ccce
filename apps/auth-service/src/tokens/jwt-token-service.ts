import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { SessionStore } from './session-store.js';
import type { SigningKeys } from './signing-keys.js';
import { InvalidTokenError, TokenReuseError, TokenRevokedError } from './token-errors.js';
import type { AccessPrincipal, IssuedTokens, TokenKind, TokenService, TokenSubject } from './token-types.js';

/** Options of {@link JwtTokenService}. */
export interface JwtTokenServiceOptions {
  readonly keys: SigningKeys;
  readonly sessions: SessionStore;
  readonly issuer: string;
  readonly audience: string;
  /** Default 300 (5 minutes). */
  readonly accessTtlSeconds?: number;
  /** Default 86 400 (1 day). */
  readonly refreshTtlSeconds?: number;
  /** Allowed clock skew on `exp`/`nbf`/`iat`, seconds (default 5). */
  readonly clockToleranceSeconds?: number;
}

// JWT `typ` header per kind: RFC 9068 for access tokens; refresh tokens get their own so that
// neither can be mistaken for the other even by a verifier that ignores `token_type`.
const TYP: Record<TokenKind, string> = { access: 'at+jwt', refresh: 'rt+jwt' };

interface VerifiedClaims {
  readonly sub: string;
  readonly email: string;
  readonly sid: string;
  readonly jti: string;
  readonly exp: number;
}

/**
 * {@link TokenService} with jose. Verification pins the algorithm, the `typ` header and the
 * `token_type` claim, requires `exp`, `iat`, `jti`, `sub`, `sid`, and checks `iss`/`aud`.
 */
export class JwtTokenService implements TokenService {
  readonly #options: Required<Omit<JwtTokenServiceOptions, 'keys' | 'sessions'>>;
  readonly #keys: SigningKeys;
  readonly #sessions: SessionStore;

  constructor(options: JwtTokenServiceOptions) {
    this.#keys = options.keys;
    this.#sessions = options.sessions;
    this.#options = {
      issuer: options.issuer,
      audience: options.audience,
      accessTtlSeconds: options.accessTtlSeconds ?? 300,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 86_400,
      clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
    };
  }

  async #sign(kind: TokenKind, subject: TokenSubject, sessionId: string, tokenId: string): Promise<string> {
    const ttl = kind === 'access' ? this.#options.accessTtlSeconds : this.#options.refreshTtlSeconds;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ token_type: kind, email: subject.email, sid: sessionId })
      .setProtectedHeader({
        alg: this.#keys.alg,
        typ: TYP[kind],
        ...(this.#keys.kid === undefined ? {} : { kid: this.#keys.kid }),
      })
      .setSubject(subject.id)
      .setIssuer(this.#options.issuer)
      .setAudience(this.#options.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(tokenId)
      .sign(this.#keys.signKey);
  }

  async #verify(kind: TokenKind, token: string): Promise<VerifiedClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys.verifyKey, {
        algorithms: [this.#keys.alg],
        typ: TYP[kind],
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'sid', 'token_type'],
        clockTolerance: this.#options.clockToleranceSeconds,
        // Also refuses an `iat` in the future beyond the tolerance (jose checks it with a max age),
        // and a token older than its kind may live.
        maxTokenAge: kind === 'access' ? this.#options.accessTtlSeconds : this.#options.refreshTtlSeconds,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(undefined, { cause: error });
      throw error;
    }
    const { sub, email, sid, jti, exp, token_type: tokenType } = payload as Record<string, unknown>;
    if (
      tokenType !== kind ||
      typeof sub !== 'string' ||
      typeof email !== 'string' ||
      typeof sid !== 'string' ||
      typeof jti !== 'string' ||
      typeof exp !== 'number'
    ) {
      throw new InvalidTokenError();
    }
    return { sub, email, sid, jti, exp };
  }

  async #issuePair(subject: TokenSubject, sessionId: string): Promise<IssuedTokens> {
    const refreshId = randomUUID();
    const [access, refresh] = await Promise.all([
      this.#sign('access', subject, sessionId, randomUUID()),
      this.#sign('refresh', subject, sessionId, refreshId),
    ]);
    await this.#sessions.register(sessionId, refreshId, this.#options.refreshTtlSeconds * 1000);
    return {
      access,
      refresh,
      tokenType: 'Bearer',
      expiresIn: this.#options.accessTtlSeconds,
      refreshExpiresIn: this.#options.refreshTtlSeconds,
    };
  }

  // A revocation marker must outlive every token of the session it kills.
  #revocationTtlMs(): number {
    return (Math.max(this.#options.refreshTtlSeconds, this.#options.accessTtlSeconds) + 60) * 1000;
  }

  async issue(subject: TokenSubject): Promise<IssuedTokens> {
    return this.#issuePair(subject, randomUUID());
  }

  async verifyAccess(token: string): Promise<AccessPrincipal> {
    const claims = await this.#verify('access', token);
    // One lookup: the session must exist (not just "not revoked"), so a validly signed token
    // naming a session that was never issued, has ended or was revoked is refused.
    if (!(await this.#sessions.isActive(claims.sid))) throw new TokenRevokedError();
    return {
      userId: claims.sub,
      email: claims.email,
      sessionId: claims.sid,
      tokenId: claims.jti,
      expiresAt: new Date(claims.exp * 1000),
    };
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const claims = await this.#verify('refresh', refreshToken);
    const outcome = await this.#sessions.consume(claims.sid, claims.jti);
    if (outcome === 'revoked') throw new TokenRevokedError();
    if (outcome === 'reused') {
      await this.#sessions.revoke(claims.sid, this.#revocationTtlMs());
      throw new TokenReuseError(claims.sid);
    }
    return this.#issuePair({ id: claims.sub, email: claims.email }, claims.sid);
  }

  async revoke(refreshToken: string): Promise<void> {
    const claims = await this.#verify('refresh', refreshToken);
    await this.#sessions.revoke(claims.sid, this.#revocationTtlMs());
  }

  jwks(): JSONWebKeySet | undefined {
    return this.#keys.alg === 'EdDSA' ? this.#keys.jwks : undefined;
  }
}
