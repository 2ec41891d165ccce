import type { AccessPrincipal } from '../tokens/token-types.js';

/**
 * The service's one admin rule: the signed-in address is listed in `ADMIN_EMAILS` (normalised
 * the same way). The audit log and the queue dashboard both ask it.
 *
 * @param adminEmails - `settings.adminEmails`.
 * @param principal - The verified access token's principal.
 * @returns Whether the principal is an admin.
 * @example
 * ```ts
 * if (!isAdmin(deps.settings.adminEmails, ctx.state.auth)) throw new ForbiddenProblem('Admins only.');
 * ```
 */
export function isAdmin(adminEmails: readonly string[], principal: AccessPrincipal): boolean {
  return adminEmails.includes(principal.email);
}
