import type { AppDeps } from '../../app-deps.js';
import { UnauthorizedProblem } from '../../errors/auth-problems.js';
import { defineRoute } from '../../http/route.js';
import { jsonResponse } from '../../openapi/responses.js';
import { presentUser } from '../present-user.js';
import { meResponse } from './auth-schemas.js';

/**
 * `GET /api/v1/auth/me`: the signed-in user.
 *
 * @param deps - Users and settings.
 * @returns The route.
 */
export function meRoute(deps: Pick<AppDeps, 'users' | 'settings'>) {
  return defineRoute({
    operationId: 'getMe',
    method: 'get',
    path: '/api/v1/auth/me',
    tags: ['Auth'],
    summary: 'The signed-in user',
    description:
      'Returns the user the access token was issued to, whether it is an admin, and the token’s session.',
    auth: 'required',
    usesBackingServices: true,
    responses: { '200': jsonResponse('The user.', meResponse) },
    async handler(ctx) {
      const principal = ctx.state.auth;
      const user = principal === undefined ? undefined : await deps.users.findById(principal.userId);
      if (principal === undefined || user === undefined) {
        throw new UnauthorizedProblem('invalid_token', 'The user of this token no longer exists.');
      }
      ctx.body = {
        ...presentUser(user),
        is_admin: deps.settings.adminEmails.includes(user.email),
        session_id: principal.sessionId,
        token_expires_at: principal.expiresAt.toISOString(),
      };
    },
  });
}
