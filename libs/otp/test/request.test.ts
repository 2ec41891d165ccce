import { expect, it } from 'vitest';
import { InvalidIpError } from '../src/index.js';
import { forEachBackend, keysUnder } from './helpers/backends.js';

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
    const text = [...keys, ...values].join(' ');
    for (const needle of ['secret', 'example', '2001', 'db8', issued.code])
      expect(text).not.toContain(needle);
    const tags = new Set(keys.filter((k) => k.includes('{e:')).map((k) => /\{[^}]+\}/.exec(k)?.[0]));
    expect(tags.size).toBe(1);
  });
});
