import { defineRoute } from '../../http/route.js';
import { jsonResponse } from '../../openapi/responses.js';
import { statusResponse } from './auth-schemas.js';

/**
 * `GET /api/v1/auth/status`: whether the bearer of the request is authenticated.
 *
 * @returns The route.
 */
export function statusRoute() {
  return defineRoute({
    operationId: 'getAuthStatus',
    method: 'get',
    path: '/api/v1/auth/status',
    tags: ['Auth'],
    summary: 'Is this request authenticated?',
    description:
      'Answers `{ "authenticated": true }` when the request carries a valid, unrevoked access token, and `false` otherwise (no token, an invalid or expired one, or a refresh token). Never `401`.',
    auth: 'optional',
    usesBackingServices: true,
    responses: { '200': jsonResponse('The authentication status.', statusResponse) },
    handler(ctx) {
      ctx.body = { authenticated: ctx.state.auth !== undefined };
    },
  });
}
