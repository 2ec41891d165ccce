import type { AppDeps } from '../../app-deps.js';
import { InvalidRefreshTokenProblem } from '../../errors/auth-problems.js';
import { defineRoute } from '../../http/route.js';
import { problemResponse } from '../../openapi/responses.js';
import { TokenError } from '../../tokens/token-errors.js';
import { refreshTokenInput } from './auth-schemas.js';

/**
 * `POST /api/v1/auth/logout`: revoke the session of a refresh token.
 *
 * @param deps - The token service.
 * @returns The route.
 */
export function logoutRoute(deps: Pick<AppDeps, 'tokens'>) {
  return defineRoute({
    operationId: 'logout',
    method: 'post',
    path: '/api/v1/auth/logout',
    tags: ['Auth'],
    summary: 'Sign out: revoke the session',
    description:
      'Revokes the login session the refresh token belongs to: that refresh token, every token rotated from it, and every access token of the session stop working immediately.',
    ...refreshTokenInput,
    responses: {
      '204': { description: 'The session is revoked.' },
      '401': problemResponse('The refresh token is invalid or expired.'),
    },
    async handler(ctx, { body }) {
      try {
        await deps.tokens.revoke(body.refresh);
      } catch (error) {
        if (error instanceof TokenError)
          throw new InvalidRefreshTokenProblem('The refresh token is invalid or expired.');
        throw error;
      }
      ctx.status = 204;
    },
  });
}
