import { rateLimitHeaders } from '@tses/redis-ratelimit';
import { expect, it } from 'vitest';
import { InvalidIpError, type OtpRequestResult } from '../src/index.js';
import { forEachBackend, keysUnder } from './helpers/backends.js';

const EMAIL_RULE = { name: 'otp-email', limit: 3, windowMs: 600_000 };
const IP_RULE = { name: 'otp-ip', limit: 10, windowMs: 3_600_000 };

function rateLimitsOf(result: OtpRequestResult) {
  if (result.status === 'invalid_email') throw new Error('expected issued or rate_limited');
  return result.rateLimits;
}

forEachBackend((backend) => {
  it('issues 3 codes per email per window, then names the email scope', async () => {
    const otp = backend.otp();
    for (let i = 0; i < 3; i++) {
      expect(await otp.request({ email: 'user@example.com', ip: `192.0.2.${i}` })).toMatchObject({
        status: 'issued',
      });
    }
    const denied = await otp.request({ email: 'user@example.com', ip: '192.0.2.99' });
    expect(denied).toMatchObject({ status: 'rate_limited', scope: 'email' });
    if (denied.status !== 'rate_limited') throw new Error('expected rate_limited');
    expect(denied.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(10 * 60_000);
  });

  it('issues 10 codes per IP per window, then names the IP scope', async () => {
    const otp = backend.otp();
    for (let i = 0; i < 10; i++) {
      expect(await otp.request({ email: `user${i}@example.com`, ip: '192.0.2.1' })).toMatchObject({
        status: 'issued',
      });
    }
    expect(await otp.request({ email: 'other@example.com', ip: '192.0.2.1' })).toMatchObject({
      status: 'rate_limited',
      scope: 'ip',
    });
    // A refused request counted against neither: other@ still has its full email budget elsewhere.
    for (let i = 0; i < 3; i++) {
      expect(await otp.request({ email: 'other@example.com', ip: '192.0.2.2' })).toMatchObject({
        status: 'issued',
      });
    }
  });

  it('does not count a request refused by the email limit against the IP', async () => {
    const otp = backend.otp({ emailRequestLimit: 1, ipRequestLimit: 2 });
    expect(await otp.request({ email: 'a@example.com', ip: '192.0.2.1' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'a@example.com', ip: '192.0.2.1' })).toMatchObject({ scope: 'email' });
    expect(await otp.request({ email: 'b@example.com', ip: '192.0.2.1' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'c@example.com', ip: '192.0.2.1' })).toMatchObject({ scope: 'ip' });
  });

  it('shares the email limit between spellings of one address', async () => {
    const otp = backend.otp();
    for (const email of [' User@Example.COM', 'user@example.com', 'USER@EXAMPLE.COM ']) {
      expect(await otp.request({ email, ip: '192.0.2.1' })).toMatchObject({ status: 'issued' });
    }
    expect(await otp.request({ email: 'user@example.com', ip: '192.0.2.1' })).toMatchObject({
      scope: 'email',
    });
  });

  it('groups IPv6 clients by /64 and counts IPv4-mapped addresses as IPv4', async () => {
    const otp = backend.otp({ ipRequestLimit: 2 });
    expect(await otp.request({ email: 'a@example.com', ip: '2001:db8:1:2::1' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'b@example.com', ip: '2001:db8:1:2:ffff:0:0:9' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'c@example.com', ip: '2001:DB8:1:2::abcd' })).toMatchObject({
      scope: 'ip',
    });
    expect(await otp.request({ email: 'c@example.com', ip: '2001:db8:1:3::1' })).toMatchObject({
      status: 'issued',
    });

    expect(await otp.request({ email: 'd@example.com', ip: '192.0.2.9' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'e@example.com', ip: '::ffff:192.0.2.9' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'f@example.com', ip: '::ffff:c000:209' })).toMatchObject({
      scope: 'ip',
    });
  });

  it('honours a configured IPv6 prefix length', async () => {
    const otp = backend.otp({ ipRequestLimit: 1, ipv6PrefixLength: 48 });
    expect(await otp.request({ email: 'a@example.com', ip: '2001:db8:1:2::1' })).toMatchObject({
      status: 'issued',
    });
    expect(await otp.request({ email: 'b@example.com', ip: '2001:db8:1:ffff::1' })).toMatchObject({
      scope: 'ip',
    });
  });

  it('throws InvalidIpError for a malformed IP, counting nothing', async () => {
    const otp = backend.otp({ emailRequestLimit: 1 });
    await expect(otp.request({ email: 'a@example.com', ip: '999.1.1.1' })).rejects.toBeInstanceOf(
      InvalidIpError,
    );
    await expect(otp.request({ email: 'a@example.com', ip: '' })).rejects.toMatchObject({
      code: 'ERR_OTP_INVALID_IP',
    });
    expect(await otp.request({ email: 'a@example.com', ip: '192.0.2.1' })).toMatchObject({
      status: 'issued',
    });
  });

  it('keeps raw emails, IPs and codes out of Redis and shares one hash tag per email', async () => {
    const client = backend.client;
    if (!client) return;
    const otp = backend.otp();
    const issued = await otp.request({ email: 'secret.person@example.com', ip: '2001:db8::7' });
    if (issued.status !== 'issued') throw new Error('expected issued');
    await otp.verify({ email: 'secret.person@example.com', otp: 'nope' });
    const keys = await keysUnder(client, backend.prefix);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const values = await Promise.all(
      keys.map(async (k) => ((await client.type(k)) === 'string' ? client.get(k) : '')),
    );
    // Without the test's own random prefix (a UUID may contain "db8"); needles with '.' or ':'
    // cannot occur by chance in hex hashes or base64url pseudonyms.
    const text = [...keys.map((k) => k.slice(backend.prefix.length)), ...values].join(' ');
    for (const needle of ['secret.person', 'example.com', '2001:db8', issued.code])
      expect(text).not.toContain(needle);
    const tags = new Set(keys.filter((k) => k.includes('{e:')).map((k) => /\{[^}]+\}/.exec(k)?.[0]));
    expect(tags.size).toBe(1);
  });

  it('reports both named rules with their decisions when a code is issued', async () => {
    const otp = backend.otp();
    const first = await otp.request({ email: 'user@example.com', ip: '192.0.2.1' });
    expect(first.status).toBe('issued');
    // The request opened both windows, so each reports its full length (to the millisecond on
    // one server; the cluster's two nodes may read a millisecond later).
    expect(rateLimitsOf(first)).toEqual([
      {
        scope: 'email',
        rule: EMAIL_RULE,
        decision: { allowed: true, limit: 3, remaining: 2, retryAfterMs: 0, resetInMs: expect.any(Number) },
      },
      {
        scope: 'ip',
        rule: IP_RULE,
        decision: { allowed: true, limit: 10, remaining: 9, retryAfterMs: 0, resetInMs: expect.any(Number) },
      },
    ]);
    const [email, ip] = rateLimitsOf(first).map((l) => l.decision.resetInMs);
    expect(email).toBeGreaterThan(599_000);
    expect(email).toBeLessThanOrEqual(600_000);
    expect(ip).toBeGreaterThan(3_599_000);
    expect(ip).toBeLessThanOrEqual(3_600_000);
    expect(rateLimitHeaders(rateLimitsOf(first))).toEqual({
      'RateLimit-Policy': '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600',
      RateLimit: '"otp-email";r=2;t=600, "otp-ip";r=9;t=3600',
    });

    const second = await otp.request({ email: 'other@example.com', ip: '192.0.2.1' });
    expect(rateLimitsOf(second).map((l) => [l.scope, l.decision.remaining])).toEqual([
      ['email', 2],
      ['ip', 8],
    ]);
  });

  it('reports the exhausted email rule and the untouched IP rule when refused by email', async () => {
    const otp = backend.otp();
    for (let i = 0; i < 3; i++) await otp.request({ email: 'user@example.com', ip: '192.0.2.1' });
    const denied = await otp.request({ email: 'user@example.com', ip: '192.0.2.1' });
    if (denied.status !== 'rate_limited') throw new Error('expected rate_limited');
    const [email, ip] = denied.rateLimits;
    expect(email).toEqual({
      scope: 'email',
      rule: EMAIL_RULE,
      decision: {
        allowed: false,
        limit: 3,
        remaining: 0,
        retryAfterMs: denied.retryAfterMs,
        resetInMs: expect.any(Number),
      },
    });
    // Nothing was counted: the IP rule still has the 7 the three issued requests left.
    expect(ip).toEqual({
      scope: 'ip',
      rule: IP_RULE,
      decision: { allowed: true, limit: 10, remaining: 7, retryAfterMs: 0, resetInMs: expect.any(Number) },
    });
    const seconds = denied.retryAfterMs / 1000;
    expect(Number.isInteger(seconds)).toBe(true);
    expect(Math.ceil(email!.decision.resetInMs / 1000)).toBe(seconds);
    expect(rateLimitHeaders(denied.rateLimits)).toEqual({
      'RateLimit-Policy': '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600',
      RateLimit: `"otp-email";r=0;t=${seconds}, "otp-ip";r=7;t=${Math.ceil(ip!.decision.resetInMs / 1000)}`,
      'Retry-After': String(seconds),
    });
  });

  it('reports the exhausted IP rule and a fresh email rule when refused by IP', async () => {
    const otp = backend.otp({ ipRequestLimit: 1, ipRequestWindowMs: 120_000 });
    await otp.request({ email: 'a@example.com', ip: '192.0.2.1' });
    const denied = await otp.request({ email: 'b@example.com', ip: '192.0.2.1' });
    if (denied.status !== 'rate_limited') throw new Error('expected rate_limited');
    expect(denied.scope).toBe('ip');
    expect(denied.rateLimits).toEqual([
      {
        scope: 'email',
        rule: EMAIL_RULE,
        // b@ never requested: no window is open, so nothing resets.
        decision: { allowed: true, limit: 3, remaining: 3, retryAfterMs: 0, resetInMs: 0 },
      },
      {
        scope: 'ip',
        rule: { name: 'otp-ip', limit: 1, windowMs: 120_000 },
        decision: {
          allowed: false,
          limit: 1,
          remaining: 0,
          retryAfterMs: denied.retryAfterMs,
          resetInMs: expect.any(Number),
        },
      },
    ]);
    const seconds = denied.retryAfterMs / 1000;
    expect(rateLimitHeaders(denied.rateLimits)).toEqual({
      'RateLimit-Policy': '"otp-email";q=3;w=600, "otp-ip";q=1;w=120',
      RateLimit: `"otp-email";r=3;t=0, "otp-ip";r=0;t=${seconds}`,
      'Retry-After': String(seconds),
    });
  });
});
