import type { AppDeps } from '../../app-deps.js';
import { InvalidRefreshTokenProblem } from '../../errors/auth-problems.js';
import { defineRoute } from '../../http/route.js';
import { jsonResponse, noStoreHeaders, problemResponse } from '../../openapi/responses.js';
import { TokenError, TokenReuseError } from '../../tokens/token-errors.js';
import { tokenPairResponse } from '../otp/otp-schemas.js';
import { presentTokenPair } from '../present-tokens.js';
import { refreshTokenInput } from './auth-schemas.js';

/**
 * `POST /api/v1/auth/token/refresh`: rotate a refresh token.
 *
 * @param deps - The token service.
 * @returns The route.
 */
export function refreshTokenRoute(deps: Pick<AppDeps, 'tokens'>) {
  return defineRoute({
    operationId: 'refreshToken',
    method: 'post',
    path: '/api/v1/auth/token/refresh',
    tags: ['Auth'],
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'Rotates the refresh token atomically: the presented one is consumed and a new access + refresh pair is returned. Each refresh token works once. Presenting one that was already rotated is treated as theft: the whole login session (every token descended from the same sign-in) is revoked and `401` is returned.',
    ...refreshTokenInput,
    responses: {
      '200': jsonResponse(
        'A new token pair; the presented refresh token is now used.',
        tokenPairResponse,
        noStoreHeaders,
      ),
      '401': problemResponse(
        'The refresh token is invalid, expired, an access token, revoked, or already used (the session is then revoked).',
      ),
    },
    async handler(ctx, { body }) {
      try {
        const tokens = await deps.tokens.refresh(body.refresh);
        ctx.body = presentTokenPair(tokens);
      } catch (error) {
        if (error instanceof TokenReuseError) {
          ctx.state.log.warn({ session_id: error.sessionId }, 'refresh token reuse: session revoked');
          throw new InvalidRefreshTokenProblem(
            'The refresh token was already used; the session has been revoked.',
          );
        }
        if (error instanceof TokenError) throw new InvalidRefreshTokenProblem();
        throw error;
      }
    },
  });
}
