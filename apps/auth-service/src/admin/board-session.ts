import type { Context } from 'koa';
import type { AccessPrincipal } from '../tokens/token-types.js';

/** Where the dashboard lives; its cookie is scoped to this path only. */
export const BOARD_PATH = '/admin/queues';
const COOKIE = 'tses_board';
// RFC 6750 §2.1 b64token, as `authenticate()` accepts it.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The access token a dashboard request carries: the `Authorization: Bearer` header (scripts),
 * else the sign-in cookie (a browser, which cannot add a header to the page and its assets).
 */
export function boardToken(ctx: Context): string | undefined {
  const header = ctx.get('Authorization');
  if (header !== '') return BEARER.exec(header)?.[1] ?? '';
  const cookie = ctx.cookies.get(COOKIE);
  return cookie !== undefined && TOKEN.test(cookie) ? cookie : undefined;
}

/**
 * Signs a browser in: the admin's access token itself goes in a cookie that is HttpOnly (no script
 * reads it), SameSite=Strict (no other site's page sends it: no CSRF), scoped to the dashboard's
 * path, `Secure` over HTTPS, and expiring with the token (minutes): no second secret, no server
 * state, and a revoked session stops working at once (each request verifies the token again).
 */
export function setBoardCookie(ctx: Context, token: string, principal: AccessPrincipal): void {
  ctx.cookies.set(COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: BOARD_PATH,
    secure: ctx.secure,
    expires: principal.expiresAt,
    overwrite: true,
  });
}

/** Signs a browser out. */
export function clearBoardCookie(ctx: Context): void {
  ctx.cookies.set(COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    path: BOARD_PATH,
    secure: ctx.secure,
    expires: new Date(0),
    overwrite: true,
  });
}
