// GET /audit/logs: authentication, least privilege, bad filters.
import { randomUUID } from 'node:crypto';
import { EARLIEST_AUDIT_INSTANT, LATEST_AUDIT_INSTANT } from '@tses/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const LOGS = '/api/v1/audit/logs';

/** A well-formed cursor at a position the client chose (cursors are opaque, not trusted). */
function forgedCursor(position: string): string {
  return Buffer.from(JSON.stringify({ v: 1, d: 'a', t: position, i: randomUUID() })).toString('base64url');
}

describe('audit logs: access and validation (full mode)', () => {
  let h: FullHarness;
  let alice = '';
  let admin = '';

  beforeAll(async () => {
    h = await startFullHarness({ adminEmails: ['boss@example.com'] });
    alice = (await h.signIn('alice@example.com')).access;
    await h.signIn('bob@example.com');
    admin = (await h.signIn('Boss@Example.com')).access;
    await h.waitForCompleted('audit', 6);
  });
  afterAll(async () => {
    await h.close();
  });

  it('401 with WWW-Authenticate without a valid access token', async () => {
    const anonymous = await h.client.get(LOGS);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect((await h.client.get(LOGS, { token: 'x.y.z' })).status).toBe(401);
  });

  it('a non-admin sees only entries for their own address', async () => {
    const own = await h.client.get(LOGS, { token: alice });
    expect(own.status).toBe(200);
    expect(own.body.count).toBe(2);
    expect(own.body.results.map((r: { email: string }) => r.email)).toEqual([
      'alice@example.com',
      'alice@example.com',
    ]);
    const explicit = await h.client.get(`${LOGS}?email=ALICE@example.com`, { token: alice });
    expect(explicit.body.count).toBe(2);
    const other = await h.client.get(`${LOGS}?email=bob@example.com`, { token: alice });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
  });

  it('an admin sees every entry', async () => {
    const all = await h.client.get(LOGS, { token: admin });
    expect(all.body.count).toBe(6);
    expect(new Set(all.body.results.map((r: { email: string }) => r.email))).toEqual(
      new Set(['alice@example.com', 'bob@example.com', 'boss@example.com']),
    );
    const bob = await h.client.get(`${LOGS}?email=bob@example.com&event=OTP_VERIFIED`, { token: admin });
    expect(bob.body.count).toBe(1);
  });

  it('bad filters are 400 naming the query parameter, never 500', async () => {
    const cases: Array<[string, string]> = [
      ['from=yesterday', 'from'],
      ['to=2026-01-01T00:00:00', 'to'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['page=0', 'page'],
      ['page_size=101', 'page_size'],
      ['page=abc', 'page'],
      ['event=lower-case', 'event'],
      ['cursor=not-a-cursor', 'cursor'],
      ['page=2&cursor=abc', 'cursor'],
      ['colour=red', 'colour'],
      ['pagination=sideways', 'pagination'],
      // Instants outside years 0001–9999 (PostgreSQL rejected them with a 500 before).
      ['from=0000-01-01T00:00:00Z', 'from'],
      ['to=0000-01-01T00:00:00Z', 'to'],
      ['from=0001-01-01T00:00:00%2B00:01', 'from'],
      ['to=9999-12-31T23:59:59-01:00', 'to'],
      ['from=%2B275760-09-13T00:00:00Z', 'from'],
      ['to=294277-01-01T00:00:00Z', 'to'],
      ['from=-004713-01-01T00:00:00Z', 'from'],
      ['pagination=cursor&cursor=' + forgedCursor('0000-01-01T00:00:00Z'), 'cursor'],
    ];
    for (const [query, field] of cases) {
      const response = await h.client.get(`${LOGS}?${query}`, { token: admin });
      expect(response.status, query).toBe(400);
      expect(
        response.body.errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
      expect(response.body.errors[0].in).toBe('query');
    }
  });

  it('the first and last supported instants are accepted on both ends of the range', async () => {
    const all = await h.client.get(
      `${LOGS}?from=${encodeURIComponent(EARLIEST_AUDIT_INSTANT)}&to=${encodeURIComponent(LATEST_AUDIT_INSTANT)}`,
      { token: admin },
    );
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(6);
    const cursor = await h.client.get(
      `${LOGS}?pagination=cursor&from=${encodeURIComponent(EARLIEST_AUDIT_INSTANT)}`,
      { token: admin },
    );
    expect(cursor.status).toBe(200);
    expect(cursor.body.results).toHaveLength(6);
  });

  it('a non-admin’s pagination links never carry another address', async () => {
    const page = await h.client.get(`${LOGS}?page_size=1`, { token: alice });
    expect(page.body.next).toBe(`${LOGS}?page_size=1&page=2`);
    const next = await h.client.get(page.body.next, { token: alice });
    expect(next.body.results[0].email).toBe('alice@example.com');
    expect(next.body.next).toBeNull();
  });
});
