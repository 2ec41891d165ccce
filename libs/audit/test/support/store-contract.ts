// The one behaviour suite every AuditStore must pass (memory and PostgreSQL run the same tests).
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AuditValidationError,
  EARLIEST_AUDIT_INSTANT,
  LATEST_AUDIT_INSTANT,
  MAX_PAGE_WINDOW,
  type AuditCursorPage,
  type AuditCursorQuery,
  type AuditEventInput,
  type AuditFilters,
  type AuditRecord,
  type AuditStore,
} from '../../src/index.js';

export interface StoreFactory {
  /** A store with no rows in it. */
  fresh(): Promise<AuditStore>;
}

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const EMAILS = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
const EVENTS = ['OTP_REQUESTED', 'OTP_VERIFIED', 'OTP_FAILED', 'OTP_LOCKED'];

function event(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    id: randomUUID(),
    event: 'OTP_REQUESTED',
    email: 'alice@example.com',
    ip: '203.0.113.7',
    userAgent: 'vitest',
    metadata: { attempt: 1 },
    occurredAt: at(0),
    ...overrides,
  };
}

/** 36 events: 3 emails × 4 events × 3 times; every time slot holds several events (equal timestamps). */
function dataset(): AuditEventInput[] {
  const out: AuditEventInput[] = [];
  EMAILS.forEach((email, e) =>
    EVENTS.forEach((name, v) => {
      for (let k = 0; k < 3; k++)
        out.push(event({ email, event: name, occurredAt: at(((e + v + k * 5) % 9) * 10) }));
    }),
  );
  return out;
}

/** The reference semantics, written independently of both stores. */
function expected(rows: AuditEventInput[], f: AuditFilters): string[] {
  const from = f.from === undefined ? -Infinity : new Date(f.from).getTime();
  const to = f.to === undefined ? Infinity : new Date(f.to).getTime();
  return rows
    .filter(
      (r) =>
        (f.email === undefined || r.email === f.email.trim().toLowerCase()) &&
        (f.event === undefined || r.event === f.event),
    )
    .filter((r) => new Date(r.occurredAt).getTime() >= from && new Date(r.occurredAt).getTime() <= to)
    .sort(
      (a, b) => new Date(b.occurredAt).getTime() - new Date(a.occurredAt).getTime() || (a.id < b.id ? 1 : -1),
    )
    .map((r) => r.id);
}

/** Pages forward to the end, then back to the start; returns both sequences of pages. */
async function roundTrip(store: AuditStore, query: AuditCursorQuery) {
  const forward: AuditCursorPage[] = [await store.queryCursor(query)];
  for (let p = forward[0]; p?.nextCursor && forward.length < 100;) {
    p = await store.queryCursor({ ...query, cursor: p.nextCursor });
    forward.push(p);
  }
  const back: AuditCursorPage[] = [];
  for (let p = forward.at(-1); p?.previousCursor && back.length < 100;) {
    p = await store.queryCursor({ ...query, cursor: p.previousCursor });
    back.push(p);
  }
  return { forward, back: back.toReversed() };
}

async function expectValidationError(promise: Promise<unknown>, field: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuditValidationError);
  expect((error as AuditValidationError).field).toBe(field);
  expect((error as AuditValidationError).code).toBe('ERR_AUDIT_VALIDATION');
}

export function auditStoreContract(name: string, factory: StoreFactory): void {
  describe(`AuditStore contract: ${name}`, () => {
    let store: AuditStore;
    beforeEach(async () => {
      store = await factory.fresh();
    });

    describe('write', () => {
      it('stores the event with the caller id and the normalised email; JSON-safe fields', async () => {
        const input = event({
          email: '  Alice@Example.COM ',
          metadata: { attempt: 2, nested: { ok: true } },
        });
        expect(await store.write(input)).toEqual({ inserted: true });
        const page = await store.queryPage();
        expect(page.items).toEqual([
          {
            id: input.id,
            event: 'OTP_REQUESTED',
            email: 'alice@example.com',
            ipAddress: '203.0.113.7',
            userAgent: 'vitest',
            metadata: { attempt: 2, nested: { ok: true } },
            createdAt: '2026-03-01T12:00:00.000Z',
          },
        ]);
        expect(JSON.parse(JSON.stringify(page))).toEqual(page);
      });

      it('defaults ip, user agent and metadata; accepts an ISO string with offset and any UPPER_SNAKE event', async () => {
        const id = randomUUID().toUpperCase();
        await store.write({
          id,
          event: 'ADMIN_EXPORTED',
          email: 'b@example.com',
          occurredAt: '2026-03-01T14:00:00+02:00',
        });
        const [record] = (await store.queryPage()).items;
        expect(record).toMatchObject({
          id: id.toLowerCase(),
          event: 'ADMIN_EXPORTED',
          ipAddress: null,
          userAgent: null,
          metadata: {},
        });
        expect(record?.createdAt).toBe('2026-03-01T12:00:00.000Z');
      });

      it('is idempotent: a second write of the same id inserts nothing and keeps the first', async () => {
        const first = event();
        expect(await store.write(first)).toEqual({ inserted: true });
        expect(await store.write({ ...first, event: 'OTP_FAILED' })).toEqual({ inserted: false });
        const page = await store.queryPage();
        expect(page.count).toBe(1);
        expect(page.items[0]?.event).toBe('OTP_REQUESTED');
      });

      it('50 concurrent writes of one id: exactly one row, exactly one inserted: true', async () => {
        const same = event();
        const results = await Promise.all(Array.from({ length: 50 }, () => store.write(same)));
        expect(results.filter((r) => r.inserted)).toHaveLength(1);
        expect(results.filter((r) => !r.inserted)).toHaveLength(49);
        expect((await store.queryPage()).count).toBe(1);
      });

      it.each([
        ['id', { id: 'not-a-uuid' }],
        ['event', { event: 'otp_requested' }],
        ['event', { event: '' }],
        ['email', { email: 'not an email' }],
        ['email', { email: 'a\u200b@example.com' }],
        ['ip', { ip: '999.1.1.1' }],
        ['ip', { ip: '10.0.0.0/8' }],
        ['metadata', { metadata: [1, 2] as unknown as Record<string, unknown> }],
        ['occurredAt', { occurredAt: '2026-03-01T12:00:00' }],
        ['occurredAt', { occurredAt: new Date(Number.NaN) }],
        ['occurredAt', { occurredAt: '0000-01-01T00:00:00Z' }],
        ['occurredAt', { occurredAt: '9999-12-31T23:59:59-01:00' }],
        ['occurredAt', { occurredAt: new Date(8.64e15) }],
        ['occurredAt', { occurredAt: new Date(Date.UTC(-4713, 0, 1)) }],
      ] as const)('rejects a bad %s', async (field, overrides) => {
        await expectValidationError(store.write(event(overrides as Partial<AuditEventInput>)), field);
        expect((await store.queryPage()).count).toBe(0);
      });

      it('stores events at the first and last supported instants and pages through them', async () => {
        const first = event({ occurredAt: EARLIEST_AUDIT_INSTANT });
        const last = event({ occurredAt: new Date(LATEST_AUDIT_INSTANT) });
        expect(await store.write(first)).toEqual({ inserted: true });
        expect(await store.write(last)).toEqual({ inserted: true });
        expect((await store.queryPage()).items.map((r) => [r.id, r.createdAt])).toEqual([
          [last.id, LATEST_AUDIT_INSTANT],
          [first.id, EARLIEST_AUDIT_INSTANT],
        ]);
        const { forward, back } = await roundTrip(store, { pageSize: 1 });
        expect(forward.map((p) => p.items.map((r) => r.id))).toEqual([[last.id], [first.id]]);
        expect(back.map((p) => p.items.map((r) => r.id))).toEqual([[last.id]]);
      });
    });

    describe('filters and order', () => {
      let rows: AuditEventInput[];
      beforeEach(async () => {
        rows = dataset();
        await Promise.all(rows.map((r) => store.write(r)));
      });

      const cases: [string, AuditFilters][] = [
        ['none', {}],
        ['email', { email: 'bob@example.com' }],
        ['email (unnormalised)', { email: '  BOB@example.COM' }],
        ['event', { event: 'OTP_FAILED' }],
        ['from', { from: at(30).toISOString() }],
        ['to', { to: at(40) }],
        ['from + to', { from: at(20), to: at(60).toISOString() }],
        ['from = to (one instant)', { from: at(50), to: at(50) }],
        ['email + event', { email: 'carol@example.com', event: 'OTP_VERIFIED' }],
        ['email + from + to', { email: 'alice@example.com', from: at(10), to: at(70) }],
        ['event + from + to', { event: 'OTP_LOCKED', from: at(0), to: at(40) }],
        ['all four', { email: 'bob@example.com', event: 'OTP_REQUESTED', from: at(10), to: at(80) }],
        ['no match', { email: 'nobody@example.com' }],
        ['unknown event', { event: 'NEVER_HAPPENED' }],
      ];

      it.each(cases)(
        'page query, filter %s: matching rows newest first, id desc on ties, exact count',
        async (_, filters) => {
          const want = expected(rows, filters);
          const page = await store.queryPage({ ...filters, pageSize: 100 });
          expect(page.items.map((r) => r.id)).toEqual(want);
          expect(page.count).toBe(want.length);
          expect(page.countIsEstimate).toBe(false);
          expect(page.totalPages).toBe(Math.ceil(want.length / 100));
        },
      );

      it.each(cases)(
        'cursor walk, filter %s: same rows in same order, forward and back',
        async (_, filters) => {
          const want = expected(rows, filters);
          const { forward, back } = await roundTrip(store, { ...filters, pageSize: 5 });
          const ids = (pages: AuditCursorPage[]) => pages.map((p) => p.items.map((r) => r.id));
          expect(forward.flatMap((p) => p.items.map((r) => r.id))).toEqual(want);
          expect(forward[0]?.previousCursor).toBeNull();
          expect(forward.at(-1)?.nextCursor).toBeNull();
          // Back from the last page: every earlier page again, identical.
          expect(ids(back)).toEqual(ids(forward.slice(0, -1)));
        },
      );

      it('orders equal timestamps by id descending', async () => {
        const page = await store.queryPage({ pageSize: 100 });
        for (let i = 1; i < page.items.length; i++) {
          const [a, b] = [page.items[i - 1] as AuditRecord, page.items[i] as AuditRecord];
          expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
        }
        expect(new Set(page.items.map((r) => r.createdAt)).size).toBeLessThan(page.items.length);
      });
    });

    describe('pagination edges', () => {
      it('empty log: no items, count 0, no cursors', async () => {
        expect(await store.queryPage()).toEqual({
          items: [],
          page: 1,
          pageSize: 20,
          count: 0,
          countIsEstimate: false,
          totalPages: 0,
          nextCursor: null,
        });
        expect(await store.queryCursor()).toEqual({
          items: [],
          pageSize: 20,
          nextCursor: null,
          previousCursor: null,
        });
      });

      it('page numbers: full pages, a partial last page, beyond the last page', async () => {
        const rows = dataset();
        await Promise.all(rows.map((r) => store.write(r)));
        const want = expected(rows, {});
        const got: string[] = [];
        for (let page = 1; page <= 4; page++) {
          const result = await store.queryPage({ page, pageSize: 10 });
          expect(result).toMatchObject({
            page,
            pageSize: 10,
            count: 36,
            countIsEstimate: false,
            totalPages: 4,
          });
          expect(result.items).toHaveLength(page < 4 ? 10 : 6);
          expect(result.nextCursor === null).toBe(page === 4);
          got.push(...result.items.map((r) => r.id));
        }
        expect(got).toEqual(want);
        expect(await store.queryPage({ page: 5, pageSize: 10 })).toMatchObject({
          items: [],
          count: 36,
          totalPages: 4,
          nextCursor: null,
        });
      });

      it("a page's nextCursor continues by cursor exactly where the page ends, with the same filters", async () => {
        const rows = dataset();
        await Promise.all(rows.map((r) => store.write(r)));
        for (const filters of [{}, { email: 'alice@example.com' }, { event: 'OTP_FAILED', from: at(10) }]) {
          const want = expected(rows, filters);
          const second = await store.queryPage({ ...filters, page: 2, pageSize: 3 });
          const rest: string[] = [];
          let next = second.nextCursor;
          while (next !== null) {
            const page = await store.queryCursor({ ...filters, pageSize: 4, cursor: next });
            rest.push(...page.items.map((r) => r.id));
            next = page.nextCursor;
          }
          expect([...second.items.map((r) => r.id), ...rest]).toEqual(want.slice(3));
        }
      });

      it('page numbers reach the first MAX_PAGE_WINDOW entries: page × pageSize beyond it is a bad page', async () => {
        await store.write(event());
        for (const [page, pageSize] of [
          [MAX_PAGE_WINDOW / 100, 100],
          [MAX_PAGE_WINDOW / 20, 20],
          [MAX_PAGE_WINDOW, 1],
        ] as const) {
          expect(await store.queryPage({ page, pageSize })).toMatchObject({ items: [], count: 1, page });
        }
        for (const [page, pageSize] of [
          [MAX_PAGE_WINDOW / 100 + 1, 100],
          [Math.floor(MAX_PAGE_WINDOW / 30) + 1, 30],
          [MAX_PAGE_WINDOW + 1, 1],
        ] as const) {
          await expectValidationError(store.queryPage({ page, pageSize }), 'page');
        }
      });

      it('cursor round trip: forward to the end, then back to the start, page for page', async () => {
        const rows = dataset();
        await Promise.all(rows.map((r) => store.write(r)));
        const forward = [];
        let page = await store.queryCursor({ pageSize: 8 });
        expect(page.previousCursor).toBeNull();
        forward.push(page);
        while (page.nextCursor) {
          page = await store.queryCursor({ pageSize: 8, cursor: page.nextCursor });
          forward.push(page);
        }
        expect(forward.map((p) => p.items.length)).toEqual([8, 8, 8, 8, 4]);
        expect(forward.flatMap((p) => p.items.map((r) => r.id))).toEqual(expected(rows, {}));
        expect(page.nextCursor).toBeNull();

        for (let i = forward.length - 2; i >= 0; i--) {
          page = await store.queryCursor({ pageSize: 8, cursor: page.previousCursor });
          expect(page.items.map((r) => r.id)).toEqual(forward[i]?.items.map((r) => r.id));
          expect(page.nextCursor).not.toBeNull();
        }
        expect(page.previousCursor).toBeNull();
      });

      it('an exactly full last page has no next cursor', async () => {
        await Promise.all(Array.from({ length: 6 }, (_, i) => store.write(event({ occurredAt: at(i) }))));
        const first = await store.queryCursor({ pageSize: 3 });
        const second = await store.queryCursor({ pageSize: 3, cursor: first.nextCursor });
        expect(second.items).toHaveLength(3);
        expect(second.nextCursor).toBeNull();
        expect(second.previousCursor).not.toBeNull();
      });
    });

    describe('bad filters are validation errors naming the field', () => {
      it.each([
        ['email', { email: 'not-an-email' }],
        ['event', { event: 'otp-failed' }],
        ['from', { from: 'yesterday' }],
        ['from', { from: '2026-03-01T12:00:00' }],
        ['to', { to: '2026-02-30T00:00:00Z' }],
        ['to', { from: at(10), to: at(5) }],
        ['page', { page: 0 }],
        ['page', { page: 1.5 }],
        ['pageSize', { pageSize: 0 }],
        ['pageSize', { pageSize: 101 }],
      ] as const)('queryPage rejects a bad %s', async (field, query) => {
        await expectValidationError(store.queryPage(query), field);
      });

      // Instants every representation can carry: RFC 3339 strings, Date#toISOString, PostgreSQL.
      const outOfRange: [string, AuditFilters][] = [
        ['from', { from: '0000-01-01T00:00:00Z' }],
        ['to', { to: '0000-12-31T23:59:59.999Z' }],
        ['from', { from: '0001-01-01T00:00:00+00:01' }],
        ['to', { to: '9999-12-31T23:59:59-01:00' }],
        ['from', { from: new Date(8.64e15) }], // +275760-09-13, the largest JS Date
        ['to', { to: new Date(-8.64e15) }], // -271821-04-20, the smallest JS Date
        ['from', { from: new Date(Date.UTC(-4713, 0, 1)) }], // before PostgreSQL's 4713 BC
        ['to', { to: new Date(Date.UTC(10_000, 0, 1)) }],
      ];
      it.each(outOfRange)(
        'queryPage and queryCursor reject an instant outside the supported range: %s %o',
        async (field, filters) => {
          await expectValidationError(store.queryPage(filters), field);
          await expectValidationError(store.queryCursor(filters), field);
        },
      );

      it('the range is inclusive: its first and last instants are accepted as filters', async () => {
        await store.write(event({ occurredAt: at(0) }));
        for (const filters of [
          { from: EARLIEST_AUDIT_INSTANT, to: LATEST_AUDIT_INSTANT },
          { from: new Date(EARLIEST_AUDIT_INSTANT), to: new Date(LATEST_AUDIT_INSTANT) },
        ]) {
          expect((await store.queryPage(filters)).count).toBe(1);
          expect((await store.queryCursor(filters)).items).toHaveLength(1);
        }
      });

      it('a forged cursor whose position lies outside the supported range is a bad cursor', async () => {
        const forged = (t: string) =>
          Buffer.from(JSON.stringify({ v: 1, d: 'a', t, i: randomUUID() })).toString('base64url');
        for (const t of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00', '0001-01-01T00:00:00+00:01']) {
          await expectValidationError(store.queryCursor({ cursor: forged(t) }), 'cursor');
        }
        expect((await store.queryCursor({ cursor: forged(EARLIEST_AUDIT_INSTANT) })).items).toEqual([]);
      });

      it.each([
        ['cursor', { cursor: 'garbage!' }],
        ['cursor', { cursor: Buffer.from('{"v":1}').toString('base64url') }],
        ['cursor', { cursor: Buffer.from('not json').toString('base64url') }],
        ['pageSize', { pageSize: 1000 }],
        ['to', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }],
      ] as const)('queryCursor rejects a bad %s', async (field, query) => {
        await expectValidationError(store.queryCursor(query), field);
      });
    });
  });
}
