// The assessment's demo, in order, against real Redis + PostgreSQL and the real BullMQ worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { wrongCode } from './helpers/mailbox.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';
const LOGS = '/api/v1/audit/logs';
const POLICY = '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600';

describe('assessment demo (full mode)', () => {
  let h: FullHarness;
  const locked = 'locked.user@example.com';
  const happy = 'happy.user@example.com';
  let code = '';
  let adminToken = '';

  beforeAll(async () => {
    h = await startFullHarness({ adminEmails: ['admin@example.com'] });
  });
  afterAll(async () => {
    expect(h.validator.validated).toBeGreaterThan(0);
    await h.close();
  });

  it('1. requests a code: 202, identical for every valid address', async () => {
    const first = await h.client.post(REQUEST, { email: locked });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ expires_in: 300 });
    expect(first.headers.get('cache-control')).toBe('no-store');
    // This request opened both windows (same script, server clock): the whole of each is left.
    expect(first.headers.get('ratelimit-policy')).toBe(POLICY);
    expect(first.headers.get('ratelimit')).toBe('"otp-email";r=2;t=600, "otp-ip";r=9;t=3600');
    expect(first.headers.get('retry-after')).toBeNull();
    const other = await h.client.post(REQUEST, { email: 'someone.else@example.com' });
    expect(other.status).toBe(202);
    expect(other.headers.get('ratelimit-policy')).toBe(POLICY);
    // A fresh address; the IP window opened one request ago (t=3599 only if that took over a second).
    expect(other.headers.get('ratelimit')).toMatch(/^"otp-email";r=2;t=600, "otp-ip";r=8;t=(3600|3599)$/);
    expect(other.body.message).toBe(first.body.message);
    expect(Object.keys(other.body)).toEqual(Object.keys(first.body));
    code = await h.mailbox.waitForCode(locked, 1);
    expect(code).toMatch(/^\d{6}$/);
  });

  it('2. the 4th request for one address within 10 minutes is 429 with retry_after and scope', async () => {
    const second = await h.client.post(REQUEST, { email: locked });
    expect(second.status).toBe(202);
    expect(second.headers.get('ratelimit')).toMatch(/^"otp-email";r=1;t=\d+, "otp-ip";r=7;t=\d+$/);
    const third = await h.client.post(REQUEST, { email: '  LOCKED.User@Example.COM ' }); // same subject
    expect(third.status).toBe(202);
    expect(third.headers.get('ratelimit')).toMatch(/^"otp-email";r=0;t=\d+, "otp-ip";r=6;t=\d+$/);
    const fourth = await h.client.post(REQUEST, { email: locked });
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('content-type')).toContain('application/problem+json');
    expect(fourth.body).toMatchObject({ status: 429, scope: 'email' });
    expect(fourth.body.retry_after).toBeGreaterThanOrEqual(1);
    expect(fourth.body.retry_after).toBeLessThanOrEqual(600);
    expect(fourth.headers.get('retry-after')).toBe(String(fourth.body.retry_after));
    // Both windows opened in the first request's script, so the IP's is exactly 3000 s longer;
    // the refused request counted against neither (the IP keeps the 6 left after four codes).
    const wait = fourth.body.retry_after as number;
    expect(fourth.headers.get('ratelimit-policy')).toBe(POLICY);
    expect(fourth.headers.get('ratelimit')).toBe(`"otp-email";r=0;t=${wait}, "otp-ip";r=6;t=${wait + 3000}`);
    code = await h.mailbox.waitForCode(locked, 3);
  });

  it('3. a wrong code is 400 with the attempts counter', async () => {
    const wrong = await h.client.post(VERIFY, { email: locked, otp: wrongCode(code) });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ attempts_remaining: 4, type: expect.stringContaining('invalid-otp') });
    for (const remaining of [3, 2, 1]) {
      const again = await h.client.post(VERIFY, { email: locked, otp: wrongCode(code) });
      expect(again.status).toBe(400);
      expect(again.body.attempts_remaining).toBe(remaining);
    }
  });

  it('4. the 5th failure locks: 423 with unlock_eta and Retry-After, for every attempt, even the right code', async () => {
    const fifth = await h.client.post(VERIFY, { email: locked, otp: wrongCode(code) });
    expect(fifth.status).toBe(423);
    expect(fifth.body.unlock_eta).toBeGreaterThan(800);
    expect(fifth.body.unlock_eta).toBeLessThanOrEqual(900);
    expect(fifth.headers.get('retry-after')).toBe(String(fifth.body.unlock_eta));
    const right = await h.client.post(VERIFY, { email: locked, otp: code });
    expect(right.status).toBe(423);
    expect(right.body.unlock_eta).toBeGreaterThan(0);
  });

  it('5. success returns tokens and the user', async () => {
    await h.client.post(REQUEST, { email: happy });
    const otp = await h.mailbox.waitForCode(happy);
    const ok = await h.client.post(VERIFY, { email: happy, otp });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, user: { email: happy } });
    expect(ok.body.user.last_login_at).not.toBeNull();
    const me = await h.client.get('/api/v1/auth/me', { token: ok.body.access });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: ok.body.user.id, email: happy, is_admin: false });
    const used = await h.client.post(VERIFY, { email: happy, otp });
    expect(used.status).toBe(400); // one-time use, answered as such: not a failed attempt
    expect(used.body.type).toContain('otp-used');
    adminToken = (await h.signIn('admin@example.com')).access;
  });

  it('6. the worker ran the email and audit jobs', async () => {
    // Emails: 3 (locked; the 4th request was refused), 1 (someone.else), 1 (happy), 1 (admin).
    await h.waitForCompleted('email', 6);
    // Audit: 6 OTP_REQUESTED, 4 + 1 (reused code) OTP_FAILED, 2 OTP_LOCKED, 2 OTP_VERIFIED.
    await h.waitForCompleted('audit', 15);
    expect(h.mailbox.lines.every((line) => line.startsWith('[email] to='))).toBe(true);
  });

  it('7. audit logs: each filter, pagination, newest first', async () => {
    const all = await h.client.get(`${LOGS}?page_size=100`, { token: adminToken });
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(15);
    const times = all.body.results.map((r: { created_at: string }) => r.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    const byEmail = await h.client.get(`${LOGS}?email=${encodeURIComponent('LOCKED.user@example.com')}`, {
      token: adminToken,
    });
    expect(byEmail.body.count).toBe(3 + 4 + 2);
    expect(byEmail.body.results.every((r: { email: string }) => r.email === locked)).toBe(true);

    const byEvent = await h.client.get(`${LOGS}?event=OTP_LOCKED`, { token: adminToken });
    expect(byEvent.body.count).toBe(2);
    expect(byEvent.body.results[0]).toMatchObject({
      event: 'OTP_LOCKED',
      email: locked,
      ip_address: '127.0.0.1',
    });
    expect(byEvent.body.results[0].metadata.unlocks_at).toBeDefined();

    const newest = all.body.results[0].created_at as string;
    const oldest = all.body.results.at(-1).created_at as string;
    const from = await h.client.get(`${LOGS}?from=${encodeURIComponent(newest)}`, { token: adminToken });
    expect(from.body.results.every((r: { created_at: string }) => r.created_at >= newest)).toBe(true);
    const to = await h.client.get(`${LOGS}?to=${encodeURIComponent(oldest)}`, { token: adminToken });
    expect(to.body.results.every((r: { created_at: string }) => r.created_at <= oldest)).toBe(true);
    const combined = await h.client.get(
      `${LOGS}?email=${happy}&event=OTP_VERIFIED&from=${encodeURIComponent(oldest)}&to=${encodeURIComponent(newest)}`,
      { token: adminToken },
    );
    expect(combined.body.count).toBe(1);
    expect(combined.body.results[0].metadata.user_id).toBeDefined();

    const page1 = await h.client.get(`${LOGS}?page_size=4`, { token: adminToken });
    expect(page1.body).toMatchObject({ count: 15, previous: null });
    expect(page1.body.next).toBe(`${LOGS}?page_size=4&page=2`);
    const page4 = await h.client.get(`${LOGS}?page_size=4&page=4`, { token: adminToken });
    expect(page4.body.results).toHaveLength(3);
    expect(page4.body.next).toBeNull();
    expect(page4.body.previous).toBe(`${LOGS}?page_size=4&page=3`);
    const paged = [];
    for (let page = 1; page <= 4; page++) {
      paged.push(
        ...(await h.client.get(`${LOGS}?page_size=4&page=${page}`, { token: adminToken })).body.results,
      );
    }
    expect(paged.map((r) => r.id)).toEqual(all.body.results.map((r: { id: string }) => r.id));

    const cursorIds: string[] = [];
    let next: string | null = `${LOGS}?page_size=6&pagination=cursor`;
    while (next !== null) {
      const response: { body: { count: null; next: string | null; results: { id: string }[] } } =
        await h.client.get(next, {
          token: adminToken,
        });
      expect(response.body.count).toBeNull();
      cursorIds.push(...response.body.results.map((r) => r.id));
      next = response.body.next;
    }
    expect(cursorIds).toEqual(all.body.results.map((r: { id: string }) => r.id));
  });
});
