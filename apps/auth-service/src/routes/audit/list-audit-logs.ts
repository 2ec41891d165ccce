import {
  AuditValidationError,
  DEFAULT_EXACT_COUNT_LIMIT,
  isWithinPageWindow,
  MAX_PAGE_SIZE,
  MAX_PAGE_WINDOW,
  parseAuditQuery,
  type AuditQuery,
  type AuditRecord,
} from '@tses/audit';
import { normalizeEmail } from '@tses/core';
import { isAdmin } from '../../admin/is-admin.js';
import type { AppDeps } from '../../app-deps.js';
import { ForbiddenProblem } from '../../errors/auth-problems.js';
import { ValidationProblem } from '../../errors/request-problems.js';
import { defineRoute } from '../../http/route.js';
import { jsonResponse, problemResponse } from '../../openapi/responses.js';
import { auditLogsQuery, auditLogsResponse } from './audit-schemas.js';

const PATH = '/api/v1/audit/logs';

function present(record: AuditRecord) {
  return {
    id: record.id,
    event: record.event,
    email: record.email,
    ip_address: record.ipAddress,
    user_agent: record.userAgent,
    metadata: record.metadata,
    created_at: record.createdAt,
  };
}

function link(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return `${PATH}?${search.toString()}`;
}

function parse(raw: Record<string, unknown>): AuditQuery {
  try {
    return parseAuditQuery(raw);
  } catch (error) {
    if (!(error instanceof AuditValidationError)) throw error;
    throw new ValidationProblem(
      error.issues.map((issue) => ({ in: 'query', field: issue.field, message: issue.message })),
    );
  }
}

/**
 * `GET /api/v1/audit/logs`: filtered, newest-first, paginated audit entries; admins see all,
 * everyone else only their own address.
 *
 * @param deps - The audit store and settings.
 * @returns The route.
 */
export function listAuditLogsRoute(deps: Pick<AppDeps, 'audit' | 'settings'>) {
  return defineRoute({
    operationId: 'listAuditLogs',
    method: 'get',
    path: PATH,
    tags: ['Audit'],
    summary: 'List audit log entries',
    description: `Newest first (\`created_at\` desc, \`id\` desc). Filters \`email\`, \`event\`, \`from\`, \`to\` combine with AND. Page-number pagination (\`page\`, \`page_size\` ≤ ${MAX_PAGE_SIZE}) returns \`count\`: exact up to ${DEFAULT_EXACT_COUNT_LIMIT} matching entries; beyond, an estimate from the database's statistics, flagged \`count_is_estimate: true\`. Page numbers reach the first ${MAX_PAGE_WINDOW} entries (\`page\` × \`page_size\` ≤ ${MAX_PAGE_WINDOW}); a deeper \`page\` is a \`400\` naming \`page\` that points to cursors, and the \`next\` link of the window's last page already carries a cursor. Keyset pagination (\`cursor\`, or \`pagination=cursor\` for the first page) costs the same at any depth and returns \`count: null\`. \`next\`/\`previous\` are ready-made relative URLs. Least privilege: admins (\`ADMIN_EMAILS\`) see every entry; any other user sees only entries for their own address (asking for another address is \`403\`).`,
    auth: 'required',
    usesBackingServices: true,
    query: auditLogsQuery,
    responses: {
      '200': jsonResponse('A page of entries.', auditLogsResponse),
      '403': problemResponse('A non-admin asked for another address’s entries.'),
    },
    async handler(ctx, { query }) {
      const principal = ctx.state.auth;
      if (principal === undefined) throw new Error('authenticate() must run before this route');
      const { pagination, ...raw } = query;
      const admin = isAdmin(deps.settings.adminEmails, principal);
      if (!admin) {
        const asked =
          raw.email === undefined || raw.email.trim() === '' ? undefined : normalizeEmail(raw.email);
        if (asked !== undefined && (!asked.ok || asked.email !== principal.email)) {
          throw new ForbiddenProblem('You may only read audit entries for your own address.');
        }
        raw.email = principal.email;
      }
      const parsed = parse(raw);
      const filters = { email: raw.email, event: raw.event, from: raw.from, to: raw.to };
      const base = admin ? filters : { ...filters, email: undefined };
      if (parsed.cursor !== undefined || pagination === 'cursor') {
        const page = await deps.audit.queryCursor(parsed);
        ctx.body = {
          count: null,
          count_is_estimate: false,
          next:
            page.nextCursor === null
              ? null
              : link({ ...base, page_size: page.pageSize, cursor: page.nextCursor }),
          previous:
            page.previousCursor === null
              ? null
              : link({ ...base, page_size: page.pageSize, cursor: page.previousCursor }),
          results: page.items.map(present),
        };
        return;
      }
      const page = await deps.audit.queryPage(parsed);
      ctx.body = {
        count: page.count,
        count_is_estimate: page.countIsEstimate,
        // At the end of the page-number window, `next` continues with a cursor, so a client that
        // follows `next` reads every entry and never meets the window's 400.
        next:
          page.nextCursor === null
            ? null
            : isWithinPageWindow(page.page + 1, page.pageSize)
              ? link({ ...base, page_size: page.pageSize, page: page.page + 1 })
              : link({ ...base, page_size: page.pageSize, cursor: page.nextCursor }),
        previous:
          page.page > 1
            ? link({
                ...base,
                page_size: page.pageSize,
                page: Math.min(page.page - 1, Math.max(page.totalPages, 1)),
              })
            : null,
        results: page.items.map(present),
      };
    },
  });
}
