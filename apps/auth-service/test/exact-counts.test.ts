// Every Redis-backed limit of the service under simultaneous requests, counted exactly, through
// HTTP, with the real worker: on one Redis server (`npm test`) and on the Redis Cluster
// (`npm run test:cluster`), where each limit's keys live in their own hash slot.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiResponse } from './helpers/api-client.js';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';
const REFRESH = '/api/v1/auth/token/refresh';
const N = 30;
const VERIFY_IP_LIMIT = 5;

/** A client of its own: a random address in 2001:db8::/32 (each /64 counts as one client). */
function randomIp(): string {
  const group = (): string => randomBytes(2).toString('hex');
  return `2001:db8:${group()}:${group()}::1`;
}

function fresh(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

function statuses(responses: readonly ApiResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

describe('exact counts under simultaneous requests (full mode, real worker)', () => {
  let h: FullHarness;
  const as = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

  beforeAll(async () => {
    h = await startFullHarness({ trustProxyHops: 1, verifyIpLimit: VERIFY_IP_LIMIT });
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`${N} requests for one address from ${N} clients at once: exactly 3 codes, sent exactly once each`, async () => {
    const email = fresh('burst');
    const replies = await Promise.all(
      Array.from({ length: N }, () => h.client.post(REQUEST, { email }, as(randomIp()))),
    );
    expect(statuses(replies)).toEqual({ 202: 3, 429: N - 3 });
    expect(replies.filter((r) => r.status === 429).every((r) => r.body.scope === 'email')).toBe(true);
    await h.mailbox.waitForCode(email, 3);
    await h.settle();
    expect(h.mailbox.codesFor(email)).toHaveLength(3);
  });

  it(`${N} requests from one client for ${N} addresses at once: exactly 10 accepted`, async () => {
    const ip = randomIp();
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => h.client.post(REQUEST, { email: fresh(`ip${i}`) }, as(ip))),
    );
    expect(statuses(replies)).toEqual({ 202: 10, 429: N - 10 });
    expect(replies.filter((r) => r.status === 429).every((r) => r.body.scope === 'ip')).toBe(true);
  });

  it('one code verified by 20 clients at once: exactly one sign-in', async () => {
    const email = fresh('race');
    expect((await h.client.post(REQUEST, { email }, as(randomIp()))).status).toBe(202);
    const otp = await h.mailbox.waitForCode(email);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => h.client.post(VERIFY, { email, otp }, as(randomIp()))),
    );
    const counts = statuses(replies);
    expect(counts[200]).toBe(1);
    expect(Object.keys(counts).every((status) => Number(status) < 500)).toBe(true);
    const session = replies.find((r) => r.status === 200)!.body as { refresh: string };
    const refreshes = await Promise.all(
      Array.from({ length: 10 }, () => h.client.post(REFRESH, { refresh: session.refresh })),
    );
    expect(statuses(refreshes)[200]).toBe(1);
  });

  it(`20 verifications from one client at once: exactly ${VERIFY_IP_LIMIT} get past the per-IP limit`, async () => {
    const ip = randomIp();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.client.post(VERIFY, { email: fresh(`v${i}`), otp: '000000' }, as(ip)),
      ),
    );
    const counts = statuses(replies);
    expect(counts[429]).toBe(20 - VERIFY_IP_LIMIT);
    expect(Object.entries(counts).filter(([status]) => status !== '429')).toEqual([['400', VERIFY_IP_LIMIT]]);
  });

  it('the worker wrote exactly one audit row per accepted request and one per sign-in', async () => {
    await h.settle();
    const rows = await h.pool.any(
      sql.type(z.object({ event: z.string(), n: z.number() }))`
        SELECT event, count(*)::int AS n FROM ${sql.identifier([h.schema, 'audit_log'])}
        WHERE event IN ('OTP_REQUESTED', 'OTP_VERIFIED') GROUP BY event ORDER BY event`,
    );
    expect(rows).toEqual([
      { event: 'OTP_REQUESTED', n: 3 + 10 + 1 },
      { event: 'OTP_VERIFIED', n: 1 },
    ]);
  });
});
