import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditQuerySchema,
  AuditValidationError,
  createMemoryAuditStore,
  DEFAULT_PAGE_SIZE,
  EARLIEST_AUDIT_INSTANT,
  isWithinPageWindow,
  LATEST_AUDIT_INSTANT,
  MAX_PAGE_WINDOW,
  parseAuditQuery,
} from '../src/index.js';

function fieldOf(input: unknown): string | undefined {
  try {
    parseAuditQuery(input);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AuditValidationError);
    return (error as AuditValidationError).field;
  }
}

describe('auditQuerySchema (query-string shaped)', () => {
  it('parses strings into a normalised query with defaults', () => {
    expect(
      parseAuditQuery({
        email: ' Alice@Example.COM ',
        event: 'OTP_FAILED',
        from: '2026-03-01T00:00:00+01:00',
        to: '2026-03-02T00:00:00Z',
        page: '3',
        page_size: '50',
      }),
    ).toEqual({
      email: 'alice@example.com',
      event: 'OTP_FAILED',
      from: new Date('2026-02-28T23:00:00.000Z'),
      to: new Date('2026-03-02T00:00:00.000Z'),
      page: 3,
      pageSize: 50,
    });
    expect(parseAuditQuery({})).toEqual({ pageSize: 20 });
  });

  it('accepts the first and last supported instants, offsets applied', () => {
    expect(parseAuditQuery({ from: EARLIEST_AUDIT_INSTANT, to: '9999-12-31T23:59:59.999+00:00' })).toEqual({
      from: new Date(EARLIEST_AUDIT_INSTANT),
      to: new Date(LATEST_AUDIT_INSTANT),
      pageSize: 20,
    });
    expect(parseAuditQuery({ from: '0001-01-01T00:00:00-00:01' }).from).toEqual(
      new Date('0001-01-01T00:01:00Z'),
    );
    const result = auditQuerySchema.safeParse({ from: '0000-06-01T00:00:00Z' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['from', `Must lie between ${EARLIEST_AUDIT_INSTANT} and ${LATEST_AUDIT_INSTANT}.`],
    ]);
  });

  it('page numbers reach the first MAX_PAGE_WINDOW entries; beyond, the message points to `cursor`', () => {
    expect([isWithinPageWindow(100, 100), isWithinPageWindow(101, 100), isWithinPageWindow(334, 30)]).toEqual(
      [true, false, false],
    );
    expect(parseAuditQuery({ page: String(MAX_PAGE_WINDOW / 100), page_size: '100' })).toMatchObject({
      page: MAX_PAGE_WINDOW / 100,
    });
    expect(parseAuditQuery({ page: String(MAX_PAGE_WINDOW / DEFAULT_PAGE_SIZE) }).page).toBe(
      MAX_PAGE_WINDOW / DEFAULT_PAGE_SIZE,
    );
    for (const input of [
      { page: String(MAX_PAGE_WINDOW / 100 + 1), page_size: '100' },
      { page: String(MAX_PAGE_WINDOW / DEFAULT_PAGE_SIZE + 1) },
      { page: String(MAX_PAGE_WINDOW + 1), page_size: '1' },
    ]) {
      const result = auditQuerySchema.safeParse(input);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['page']);
      expect(result.error?.issues[0]?.message).toMatch(/first 10000 entries .*`cursor`/);
    }
  });

  it('treats empty parameters as absent (HTML forms send them)', () => {
    expect(parseAuditQuery({ email: '', event: ' ', page: '' })).toEqual({ pageSize: 20 });
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: ['a@example.com', 'b@example.com'] }],
    ['event', { event: 'otp_failed' }],
    ['from', { from: '2026-03-01' }],
    ['from', { from: '2026-03-01T00:00:00' }],
    ['to', { to: 'tomorrow' }],
    // Both bad: the range check must not run on the unparsed strings.
    ['from', { from: '!', to: '1e400' }],
    ['to', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }],
    ['page', { page: '0' }],
    ['page', { page: '-1' }],
    ['page', { page: 'two' }],
    ['page_size', { page_size: '101' }],
    ['page_size', { page_size: '1e2' }],
    ['cursor', { cursor: 'not a cursor' }],
    ['cursor', { cursor: 'eyJ2IjoxfQ' }],
    // Outside the instants every representation (RFC 3339, Date#toISOString, PostgreSQL) carries.
    ['from', { from: '0000-01-01T00:00:00Z' }],
    ['to', { to: '0000-01-01T00:00:00Z' }],
    ['from', { from: '0001-01-01T00:00:00+00:01' }],
    ['to', { to: '9999-12-31T23:59:59-01:00' }],
    ['from', { from: '+275760-09-13T00:00:00Z' }],
    ['to', { to: '294277-01-01T00:00:00Z' }],
    ['from', { from: '-004713-01-01T00:00:00Z' }],
    [
      'cursor',
      {
        cursor: Buffer.from(
          JSON.stringify({ v: 1, d: 'a', t: '0000-01-01T00:00:00Z', i: randomUUID() }),
        ).toString('base64url'),
      },
    ],
  ])('names the bad parameter: %s', (field, input) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('refuses page and cursor together', async () => {
    const store = createMemoryAuditStore();
    for (const minute of [1, 2]) {
      await store.write({
        id: randomUUID(),
        event: 'OTP_REQUESTED',
        email: 'a@example.com',
        occurredAt: new Date(minute * 60_000),
      });
    }
    const { nextCursor } = await store.queryCursor({ pageSize: 1 });
    expect(parseAuditQuery({ cursor: nextCursor })).toEqual({ cursor: nextCursor, pageSize: 20 });
    const result = auditQuerySchema.safeParse({ page: '2', cursor: nextCursor });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['cursor', 'Give either page or cursor, not both.'],
    ]);
  });

  it('collects every issue, with a clear message per field', () => {
    const result = auditQuerySchema.safeParse({ email: 'x', page_size: '500' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['email', 'Email is not a valid address.'],
      ['page_size', 'Page size must be at most 100.'],
    ]);
  });

  it('its output feeds both store methods', async () => {
    const store = createMemoryAuditStore();
    const query = parseAuditQuery({ email: 'a@example.com', page_size: '5' });
    await expect(store.queryPage(query)).resolves.toMatchObject({ count: 0, pageSize: 5 });
    await expect(store.queryCursor(query)).resolves.toMatchObject({ items: [], pageSize: 5 });
  });
});
