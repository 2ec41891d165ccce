// GET /audit/logs on a log larger than the page-number window: the count turns into a flagged
// estimate, the window's last page links on with a cursor, and a page beyond it is a 400 that
// points to cursors. Every response is checked against the OpenAPI document by the test client.
import { MAX_PAGE_WINDOW } from '@tses/audit';
import { sql } from 'slonik';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const LOGS = '/api/v1/audit/logs';
const SEEDED = MAX_PAGE_WINDOW + 50;

describe('audit logs beyond the page-number window (full mode)', () => {
  let h: FullHarness;
  let admin = '';

  beforeAll(async () => {
    h = await startFullHarness({ adminEmails: ['boss@example.com'] });
    admin = (await h.signIn('boss@example.com')).access;
    await h.waitForCompleted('audit', 2);
    // Older than the sign-in's two events; every two rows share an instant (the id breaks ties).
    await h.pool.query(sql.unsafe`
      INSERT INTO ${sql.identifier([h.schema, 'audit_log'])} (id, event, email, created_at)
      SELECT gen_random_uuid(), CASE WHEN i % 10 = 0 THEN 'OTP_LOCKED' ELSE 'OTP_REQUESTED' END,
             'bulk@example.com', '2026-01-01T00:00:00Z'::timestamptz - (i / 2) * interval '1 minute'
      FROM generate_series(1, ${SEEDED}) AS i`);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('more than 10 000 matches: count is an estimate, flagged; fewer: exact', async () => {
    const all = await h.client.get(`${LOGS}?page_size=5`, { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.count_is_estimate).toBe(true);
    expect(all.body.count).toBeGreaterThan(MAX_PAGE_WINDOW);
    const locked = await h.client.get(`${LOGS}?event=OTP_LOCKED&page_size=5`, { token: admin });
    expect(locked.body).toMatchObject({ count: SEEDED / 10, count_is_estimate: false });
  });

  it("the window's last page links on with a cursor that continues exactly after it", async () => {
    const last = await h.client.get(`${LOGS}?page_size=100&page=${MAX_PAGE_WINDOW / 100}`, { token: admin });
    expect(last.status).toBe(200);
    expect(last.body.next).toMatch(new RegExp(`^${LOGS}\\?page_size=100&cursor=[A-Za-z0-9_-]+$`));
    expect(last.body.previous).toBe(`${LOGS}?page_size=100&page=${MAX_PAGE_WINDOW / 100 - 1}`);
    const beyond = await h.client.get(last.body.next, { token: admin });
    expect(beyond.status).toBe(200);
    expect(beyond.body.count).toBeNull();
    const truth = await h.pool.any(sql.type(z.object({ id: z.string() }))`
      SELECT id FROM ${sql.identifier([h.schema, 'audit_log'])}
      ORDER BY created_at DESC, id DESC OFFSET ${MAX_PAGE_WINDOW - 100} LIMIT 200`);
    expect([...last.body.results, ...beyond.body.results].map((r: { id: string }) => r.id)).toEqual(
      truth.map((r) => r.id),
    );
  });

  it('a page beyond the window is a 400 naming page and pointing to cursors, never a slow query', async () => {
    for (const query of [
      `page=${MAX_PAGE_WINDOW / 100 + 1}&page_size=100`,
      `page=${MAX_PAGE_WINDOW / 20 + 1}`,
      'page=999999999&page_size=1',
    ]) {
      const response = await h.client.get(`${LOGS}?${query}`, { token: admin });
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors).toEqual([
        { in: 'query', field: 'page', message: expect.stringMatching(/first 10000 entries.*`cursor`/) },
      ]);
    }
  });
});
