// The same flows in embedded mode: memory stores, in-process jobs, no Redis, no PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness, type EmbeddedHarness } from './helpers/harness.js';
import { wrongCode } from './helpers/mailbox.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';
const LOGS = '/api/v1/audit/logs';

describe('embedded mode', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await startEmbeddedHarness({ adminEmails: ['admin@example.com'] });
  });
  afterAll(async () => {
    expect(h.validator.validated).toBeGreaterThan(0);
    await h.close();
  });

  it('request 202, 4th 429, wrong code 400, lockout 423, then success elsewhere', async () => {
    const email = 'embedded@example.com';
    const policy = '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600';
    const accepted = [];
    for (let i = 0; i < 3; i++) {
      const response = await h.client.post(REQUEST, { email });
      expect(response.status).toBe(202);
      expect(response.headers.get('ratelimit-policy')).toBe(policy);
      accepted.push(response.headers.get('ratelimit'));
    }
    expect(accepted[0]).toBe('"otp-email";r=2;t=600, "otp-ip";r=9;t=3600');
    const limited = await h.client.post(REQUEST, { email });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ scope: 'email' });
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retry_after));
    const wait = limited.body.retry_after as number;
    expect(limited.headers.get('ratelimit-policy')).toBe(policy);
    expect(limited.headers.get('ratelimit')).toBe(`"otp-email";r=0;t=${wait}, "otp-ip";r=7;t=${wait + 3000}`);
    const code = await h.mailbox.waitForCode(email, 3);
    for (const remaining of [4, 3, 2, 1]) {
      const wrong = await h.client.post(VERIFY, { email, otp: wrongCode(code) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.attempts_remaining).toBe(remaining);
    }
    const locked = await h.client.post(VERIFY, { email, otp: wrongCode(code) });
    expect(locked.status).toBe(423);
    expect(locked.body.unlock_eta).toBeGreaterThan(0);
    expect((await h.client.post(VERIFY, { email, otp: code })).status).toBe(423);

    const ok = await h.signIn('fine@example.com');
    expect(ok.access).toBeTruthy();
    expect((await h.client.get('/api/v1/auth/me', { token: ok.access })).body.email).toBe('fine@example.com');
  });

  it('refresh rotation, reuse detection and logout', async () => {
    const first = await h.signIn('tokens@example.com');
    const second = await h.client.post('/api/v1/auth/token/refresh', { refresh: first.refresh });
    expect(second.status).toBe(200);
    expect((await h.client.post('/api/v1/auth/token/refresh', { refresh: first.refresh })).status).toBe(401);
    expect((await h.client.get('/api/v1/auth/me', { token: second.body.access })).status).toBe(401);
    const third = await h.signIn('tokens@example.com');
    expect((await h.client.post('/api/v1/auth/logout', { refresh: third.refresh })).status).toBe(204);
    expect((await h.client.get('/api/v1/auth/status', { token: third.access })).body).toEqual({
      authenticated: false,
    });
  });

  it('in-process jobs write the audit log; least privilege applies', async () => {
    await h.settle();
    expect(await h.auditCount()).toBeGreaterThanOrEqual(15);
    const admin = await h.signIn('admin@example.com');
    await h.settle();
    const all = await h.client.get(`${LOGS}?page_size=100`, { token: admin.access });
    expect(all.body.count).toBe(await h.auditCount());
    const locked = await h.client.get(`${LOGS}?event=OTP_LOCKED`, { token: admin.access });
    expect(locked.body.count).toBe(2);
    const user = await h.signIn('fine@example.com');
    const own = await h.client.get(LOGS, { token: user.access });
    expect(own.body.results.every((r: { email: string }) => r.email === 'fine@example.com')).toBe(true);
    expect((await h.client.get(`${LOGS}?email=admin@example.com`, { token: user.access })).status).toBe(403);
    const cursor = await h.client.get(`${LOGS}?pagination=cursor&page_size=3`, { token: admin.access });
    expect(cursor.body.count).toBeNull();
    expect(cursor.body.next).toContain('cursor=');
  });

  it('errors, health and docs behave the same', async () => {
    const malformed = await h.client.request('POST', REQUEST, {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((await h.client.get('/nope')).status).toBe(404);
    const ready = await h.client.get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: {} });
    expect((await h.client.get('/api/docs')).status).toBe(200);
  });
});
