import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import type { Context, Middleware, Next } from 'koa';
import { ForbiddenProblem, UnauthorizedProblem } from '../errors/auth-problems.js';
import { TokenError } from '../tokens/token-errors.js';
import type { AccessPrincipal, TokenService } from '../tokens/token-types.js';
import { BOARD_PATH, boardToken, clearBoardCookie, setBoardCookie } from './board-session.js';
import { isAdmin } from './is-admin.js';
import { readFormField } from './read-form-field.js';
import { signInPage } from './sign-in-page.js';

/** Options of {@link queueBoard}. */
export interface QueueBoardOptions {
  readonly queues: readonly Queue[];
  readonly tokens: Pick<TokenService, 'verifyAccess'>;
  readonly adminEmails: readonly string[];
}

// Everything the page loads comes from this service (its fonts link to Google is refused), so the
// dashboard works offline and tells no third party who opened it.
const CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

/**
 * Bull Board for the given queues at `/admin/queues`, for admins only (the audit log's rule,
 * {@link isAdmin}): 401 without a valid access token, 403 for a non-admin. A browser signs in once
 * at `/admin/queues/login` (the admin's access token in an HttpOnly, SameSite=Strict cookie scoped
 * to this path; see `board-session.ts`); scripts send `Authorization: Bearer`. Read-only: no
 * retry, clean or delete from the page (least privilege; do those with BullMQ itself).
 *
 * @param options - The queues, the token service, the admin list.
 * @returns Koa middleware (passes every other path on).
 * @example
 * ```ts
 * app.use(queueBoard({ queues: [emailQueue, auditQueue], tokens, adminEmails }));
 * ```
 */
export function queueBoard(options: QueueBoardOptions): Middleware {
  const adapter = new KoaAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'TSES queues' } },
  });
  const board = adapter.registerPlugin();

  const principalOf = async (token: string | undefined): Promise<AccessPrincipal> => {
    if (token === undefined) throw new UnauthorizedProblem('missing_token', SIGN_IN_HINT);
    try {
      return await options.tokens.verifyAccess(token);
    } catch (error) {
      if (error instanceof TokenError) throw new UnauthorizedProblem('invalid_token', SIGN_IN_HINT);
      throw error;
    }
  };
  const admin = async (token: string | undefined): Promise<AccessPrincipal> => {
    const principal = await principalOf(token);
    if (!isAdmin(options.adminEmails, principal)) {
      throw new ForbiddenProblem('The queue dashboard is for admins (ADMIN_EMAILS) only.');
    }
    return principal;
  };

  return async function queueBoard(ctx: Context, next: Next) {
    if (ctx.path !== BOARD_PATH && !ctx.path.startsWith(`${BOARD_PATH}/`)) return next();
    ctx._matchedRoute = BOARD_PATH;
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.path === `${BOARD_PATH}/login`) {
      if (ctx.method === 'GET') {
        ctx.type = 'html';
        ctx.body = signInPage();
        return;
      }
      if (ctx.method === 'POST') {
        assertSameOrigin(ctx);
        const token = await readFormField(ctx, 'token');
        const principal = await admin(token);
        setBoardCookie(ctx, token!, principal);
        ctx.status = 303;
        ctx.redirect(`${BOARD_PATH}/`);
        return;
      }
    }
    if (ctx.path === `${BOARD_PATH}/logout` && ctx.method === 'POST') {
      assertSameOrigin(ctx);
      clearBoardCookie(ctx);
      ctx.status = 303;
      ctx.redirect(`${BOARD_PATH}/login`);
      return;
    }
    await admin(boardToken(ctx));
    await board(ctx, next);
  };
}

const SIGN_IN_HINT = `Send an admin access token as a Bearer token, or sign in at ${BOARD_PATH}/login.`;

/**
 * A form post from another site's page is refused (login CSRF), whatever cookies say. Browsers
 * mark every request with `Sec-Fetch-Site`; older ones only with `Origin`, which is `null` here
 * (the service sends `Referrer-Policy: no-referrer`), so `null` without `Sec-Fetch-Site` is refused.
 */
function assertSameOrigin(ctx: Context): void {
  const site = ctx.get('Sec-Fetch-Site');
  const origin = ctx.get('Origin');
  const sameOrigin =
    site !== ''
      ? site === 'same-origin' || site === 'none'
      : origin === '' || (URL.canParse(origin) && new URL(origin).host === ctx.host);
  if (!sameOrigin) throw new ForbiddenProblem('Cross-site sign-in is refused.');
}
