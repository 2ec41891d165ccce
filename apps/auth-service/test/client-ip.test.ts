// TRUST_PROXY: the socket address is the client unless configured hops of X-Forwarded-For are trusted.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedHarness, type EmbeddedHarness } from './helpers/harness.js';

const REQUEST = '/api/v1/auth/otp/request';

describe('client IP', () => {
  let h: EmbeddedHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('ignores X-Forwarded-For by default: one client, one IP limit', async () => {
    h = await startEmbeddedHarness({ otpSettings: { ipRequestLimit: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await h.client.post(
        REQUEST,
        { email: `ip${i}@example.com` },
        { headers: { 'x-forwarded-for': `198.51.100.${i}` } },
      );
      statuses.push(response.status);
      if (response.status === 429) expect(response.body.scope).toBe('ip');
    }
    expect(statuses).toEqual([202, 202, 429]);
  });

  it('with TRUST_PROXY=1 uses the last X-Forwarded-For entry, not a spoofed first one', async () => {
    h = await startEmbeddedHarness({ otpSettings: { ipRequestLimit: 2 }, trustProxyHops: 1 });
    for (let i = 0; i < 3; i++) {
      const response = await h.client.post(
        REQUEST,
        { email: `proxied${i}@example.com` },
        {
          headers: { 'x-forwarded-for': `10.0.0.1, 198.51.100.${i}` },
        },
      );
      expect(response.status).toBe(202);
    }
    // The spoofable first entry varies, the trusted last one repeats: limited.
    const spoof = (n: number) =>
      h!.client.post(
        REQUEST,
        { email: `spoof${n}@example.com` },
        {
          headers: { 'x-forwarded-for': `203.0.113.${n}, 192.0.2.9` },
        },
      );
    expect((await spoof(1)).status).toBe(202);
    expect((await spoof(2)).status).toBe(202);
    expect((await spoof(3)).status).toBe(429);
  });

  it('records the client IP and user agent in the audit log', async () => {
    h = await startEmbeddedHarness({ trustProxyHops: 2, adminEmails: ['ipadmin@example.com'] });
    const admin = await h.signIn('ipadmin@example.com', {
      'x-forwarded-for': '2001:db8::1, 192.0.2.1',
      'user-agent': 'tests/1.0',
    });
    await h.settle();
    const logs = await h.client.get('/api/v1/audit/logs?event=OTP_VERIFIED', { token: admin.access });
    expect(logs.body.results[0]).toMatchObject({ ip_address: '2001:db8::1', user_agent: 'tests/1.0' });
  });
});
