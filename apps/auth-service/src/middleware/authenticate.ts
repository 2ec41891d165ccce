import type { Middleware } from 'koa';
import { UnauthorizedProblem } from '../errors/auth-problems.js';
import { TokenError } from '../tokens/token-errors.js';
import type { TokenService } from '../tokens/token-types.js';

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  readonly tokens: Pick<TokenService, 'verifyAccess'>;
  /** `true`: 401 without a valid access token. `false`: set `ctx.state.auth` when valid, go on regardless. */
  readonly required: boolean;
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Verifies `Authorization: Bearer <access token>` into `ctx.state.auth`. Refresh tokens, expired,
 * revoked or foreign tokens are refused (401 + `WWW-Authenticate: Bearer` when required).
 *
 * @param options - The token service; whether a token is required.
 * @returns Koa middleware.
 * @example
 * ```ts
 * router.get('/me', authenticate({ tokens, required: true }), handler);
 * ```
 */
export function authenticate(options: AuthenticateOptions): Middleware {
  return async function authenticate(ctx, next) {
    const header = ctx.get('Authorization');
    if (header === '') {
      if (options.required) throw new UnauthorizedProblem('missing_token');
      return next();
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      if (options.required) {
        throw new UnauthorizedProblem(
          'invalid_token',
          'The Authorization header must be "Bearer <access token>".',
        );
      }
      return next();
    }
    try {
      ctx.state.auth = await options.tokens.verifyAccess(token);
    } catch (error) {
      // Anything but a refused token (Redis down on the revocation check) is the error handler's.
      if (!(error instanceof TokenError)) throw error;
      if (options.required) throw new UnauthorizedProblem('invalid_token');
    }
    return next();
  };
}
