import type { AppDeps } from '../app-deps.js';
import type { AnyRoute } from '../http/route.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { listAuditLogsRoute } from './audit/list-audit-logs.js';
import { logoutRoute } from './auth/logout.js';
import { meRoute } from './auth/me.js';
import { refreshTokenRoute } from './auth/refresh-token.js';
import { statusRoute } from './auth/status.js';
import { docsRoutes, schemaRoute } from './docs/docs-routes.js';
import { healthzRoute, readyzRoute } from './health/health-routes.js';
import { requestOtpRoute } from './otp/request-otp.js';
import { verifyOtpRoute } from './otp/verify-otp.js';
import { jwksRoute } from './well-known/jwks.js';

/**
 * The route table: routing, validation and the OpenAPI document all come from this list.
 *
 * @param deps - The app's dependencies.
 * @param document - The OpenAPI document, built from this same list (read lazily).
 * @returns Every route, in documentation order.
 */
export function createRoutes(deps: AppDeps, document: () => OpenApiDocument): AnyRoute[] {
  const jwks = deps.tokens.jwks();
  return [
    requestOtpRoute(deps),
    verifyOtpRoute(deps),
    refreshTokenRoute(deps),
    logoutRoute(deps),
    meRoute(deps),
    statusRoute(),
    listAuditLogsRoute(deps),
    ...(jwks === undefined ? [] : [jwksRoute(jwks)]),
    healthzRoute(),
    readyzRoute(deps),
    schemaRoute(document),
    ...docsRoutes(),
  ];
}
