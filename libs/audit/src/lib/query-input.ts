/**
 * Query inputs: the typed form the stores accept and the query-string form an HTTP service
 * parses. Both reject bad values with an `AuditValidationError` naming the field.
 */
import { z } from 'zod';
import { decodeCursor } from './cursor.js';
import { AuditValidationError } from './errors.js';
import { emailSchema, eventNameSchema, instantSchema, instantStringSchema, parseOrThrow } from './fields.js';

/** The largest page a query returns. */
export const MAX_PAGE_SIZE = 100;
/** The page size when none is given. */
export const DEFAULT_PAGE_SIZE = 20;
/**
 * How far page numbers reach: `page × pageSize` may not exceed it. An OFFSET costs in proportion to
 * the rows it skips, so deeper pages are read with cursors, which cost the same at any depth.
 *
 * @example
 * ```ts
 * const last = await store.queryPage({ page: MAX_PAGE_WINDOW / 100, pageSize: 100 }); // page 101 is refused
 * const more = await store.queryCursor({ pageSize: 100, cursor: last.nextCursor });
 * ```
 */
export const MAX_PAGE_WINDOW = 10_000;

/** Filters shared by both kinds of pagination; all optional, combined with AND. */
export interface AuditFilters {
  /** Only this address (normalised before comparing). */
  readonly email?: string | undefined;
  /** Only this event name. */
  readonly event?: string | undefined;
  /** Only events at or after this instant (inclusive). ISO 8601 strings must carry an offset. */
  readonly from?: Date | string | undefined;
  /** Only events at or before this instant (inclusive); must not be earlier than `from`. */
  readonly to?: Date | string | undefined;
}

/** Page-number pagination: `page` (from 1) of `pageSize` rows, with the total count. */
export interface AuditPageQuery extends AuditFilters {
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

/** Keyset pagination: the page after or before `cursor` (the first page when absent). */
export interface AuditCursorQuery extends AuditFilters {
  readonly cursor?: string | null | undefined;
  readonly pageSize?: number | undefined;
}

/** Filters after validation. */
export interface NormalizedFilters {
  readonly email?: string | undefined;
  readonly event?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

function checkRange(value: { from?: unknown; to?: unknown }, ctx: z.RefinementCtx): void {
  // Zod runs an object's refinements even when a field failed, on whatever that field held (a
  // string that is not an instant, say): compare only two parsed instants.
  const { from, to } = value;
  if (from instanceof Date && to instanceof Date && from.getTime() > to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must not be earlier than `from`.' });
  }
}

/**
 * Whether page `page` of `pageSize` rows lies within the page-number window
 * ({@link MAX_PAGE_WINDOW}), i.e. whether `queryPage` accepts it.
 *
 * @param page - A page number, from 1.
 * @param pageSize - Rows per page.
 * @returns `true` when `page × pageSize ≤ MAX_PAGE_WINDOW`.
 * @example
 * ```ts
 * // A "next" link: by page number inside the window, by cursor beyond it.
 * const next = isWithinPageWindow(page.page + 1, page.pageSize) ? { page: page.page + 1 } : { cursor: page.nextCursor };
 * ```
 */
export function isWithinPageWindow(page: number, pageSize: number): boolean {
  return page * pageSize <= MAX_PAGE_WINDOW;
}

/** The page-number window rule, worded for the caller's form (`pageSize` + `queryCursor`, or query strings). */
function checkWindow(names: { pageSize: string; cursor: string }) {
  return (value: { page?: number | undefined; pageSize: number }, ctx: z.RefinementCtx): void => {
    const page = value.page ?? 1;
    if (isWithinPageWindow(page, value.pageSize)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['page'],
      message:
        `Page numbers reach the first ${MAX_PAGE_WINDOW} entries (page × ${names.pageSize} ≤ ${MAX_PAGE_WINDOW}); ` +
        `page ${page} × ${value.pageSize} is beyond. Read further with ${names.cursor}, which costs the same at any depth.`,
    });
  };
}

const pageSizeNumber = z
  .number({ error: 'Page size must be a number.' })
  .int('Page size must be a whole number.')
  .min(1, 'Page size must be at least 1.')
  .max(MAX_PAGE_SIZE, `Page size must be at most ${MAX_PAGE_SIZE}.`);
const pageNumber = z
  .number({ error: 'Page must be a number.' })
  .int('Page must be a whole number.')
  .min(1, 'Page must be at least 1.'); // and page × page size ≤ MAX_PAGE_WINDOW: checkWindow

const typedFilters = {
  email: emailSchema.optional(),
  event: eventNameSchema.optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
};

const pageQuerySchema = z
  .object({
    ...typedFilters,
    page: pageNumber.default(1),
    pageSize: pageSizeNumber.default(DEFAULT_PAGE_SIZE),
  })
  .superRefine(checkRange)
  .superRefine(
    checkWindow({ pageSize: 'pageSize', cursor: 'queryCursor (start from nextCursor of an earlier page)' }),
  );

const cursorQuerySchema = z
  .object({
    ...typedFilters,
    cursor: z.string({ error: 'Cursor must be a string.' }).nullish(),
    pageSize: pageSizeNumber.default(DEFAULT_PAGE_SIZE),
  })
  .superRefine(checkRange);

/** Validates a typed page query (what `queryPage` does first). */
export function normalizePageQuery(input: AuditPageQuery) {
  return parseOrThrow(pageQuerySchema, input);
}

/** Validates a typed cursor query and decodes its cursor (what `queryCursor` does first). */
export function normalizeCursorQuery(input: AuditCursorQuery) {
  const { cursor, ...rest } = parseOrThrow(cursorQuerySchema, input);
  return { ...rest, cursor: cursor ? decodeCursor(cursor) : undefined };
}

// Query strings: one string per parameter; an empty value counts as "not given" (HTML forms send them).
const param = (name: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: `${name} must be a string.` })
    .optional()
    .superRefine((v, ctx) => {
      if (Array.isArray(v)) ctx.addIssue({ code: 'custom', message: `Give ${name} at most once.` });
    })
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined));
const integerParam = (name: string, number: z.ZodNumber) =>
  param(name).pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, `${name} must be a whole number.`)
      .transform(Number)
      .pipe(number)
      .optional(),
  );

/**
 * The audit query as a query string (`?email=&event=&from=&to=&page=&page_size=&cursor=`), for an
 * HTTP service to reuse: strings in; a normalised {@link AuditQuery} out. Errors name the parameter.
 *
 * @example
 * ```ts
 * const result = auditQuerySchema.safeParse({ email: 'A@Example.com', page_size: '50' });
 * // result.data: { email: 'a@example.com', pageSize: 50 }
 * ```
 */
export const auditQuerySchema = z
  .object({
    email: param('email').pipe(emailSchema.optional()),
    event: param('event').pipe(eventNameSchema.optional()),
    from: param('from').pipe(instantStringSchema.optional()),
    to: param('to').pipe(instantStringSchema.optional()),
    page: integerParam('page', pageNumber),
    page_size: integerParam('page_size', pageSizeNumber),
    cursor: param('cursor'),
  })
  .superRefine(checkRange)
  .superRefine((v, ctx) =>
    checkWindow({ pageSize: 'page_size', cursor: '`cursor` (the nextCursor of an earlier page)' })(
      { page: v.page, pageSize: v.page_size ?? DEFAULT_PAGE_SIZE },
      ctx,
    ),
  )
  .superRefine((v, ctx) => {
    if (v.page !== undefined && v.cursor !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'Give either page or cursor, not both.' });
    }
    if (v.cursor !== undefined) {
      try {
        decodeCursor(v.cursor);
      } catch (error) {
        if (!(error instanceof AuditValidationError)) throw error;
        ctx.addIssue({
          code: 'custom',
          path: ['cursor'],
          message: error.issues[0]?.message ?? error.message,
        });
      }
    }
  })
  .transform(({ page_size, ...rest }) => ({
    ...dropUndefined(rest),
    pageSize: page_size ?? DEFAULT_PAGE_SIZE,
  }));

/** The output of {@link auditQuerySchema}: accepted by both `queryPage` and `queryCursor`. */
export type AuditQuery = z.output<typeof auditQuerySchema>;

/**
 * Parses query-string parameters with {@link auditQuerySchema}.
 *
 * @throws AuditValidationError naming the first bad parameter.
 */
export function parseAuditQuery(input: unknown): AuditQuery {
  return parseOrThrow(auditQuerySchema, input);
}

function dropUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
