// The per-IP limit on POST /otp/verify: counted per normalised client (IPv4-mapped = IPv4, IPv6 per
// /64), refused with the IETF RateLimit fields of its named policy, and never naming the IP in Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysUnder, startFullHarness, type FullHarness } from './helpers/harness.js';

const VERIFY = '/api/v1/auth/otp/verify';
const LIMIT = 3;
const WINDOW_SECONDS = 900;

describe('per-IP verify limit (full mode, real Redis)', () => {
  let h: FullHarness;
  // TRUST_PROXY=1 lets the test stand in for several clients with X-Forwarded-For.
  beforeAll(async () => {
    h = await startFullHarness({ verifyIpLimit: LIMIT, trustProxyHops: 1 });
  });
  afterAll(async () => {
    await h.close();
  });

  const verifyFrom = (ip: string | undefined, n: number) =>
    h.client.post(
      VERIFY,
      { email: `ip-limit-${n}@example.com`, otp: '000000' },
      ip === undefined ? {} : { headers: { 'x-forwarded-for': ip } },
    );

  it('429 carries RateLimit-Policy and RateLimit for "otp-verify-ip", exactly', async () => {
    // An IPv4 address and its IPv4-mapped IPv6 form are one client.
    const statuses = [];
    for (const [n, ip] of ['198.51.100.7', '::ffff:198.51.100.7', '198.51.100.7'].entries()) {
      statuses.push((await verifyFrom(ip, n)).status);
    }
    expect(statuses).toEqual([400, 400, 400]); // wrong codes, but within the IP's limit
    const refused = await verifyFrom('::ffff:198.51.100.7', 9);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ status: 429, scope: 'ip' });
    const wait = refused.body.retry_after as number;
    // The window opened with the first attempt, a moment ago.
    expect(wait).toBeGreaterThanOrEqual(WINDOW_SECONDS - 2);
    expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.headers.get('retry-after')).toBe(String(wait));
    expect(refused.headers.get('ratelimit-policy')).toBe(`"otp-verify-ip";q=${LIMIT};w=${WINDOW_SECONDS}`);
    expect(refused.headers.get('ratelimit')).toBe(`"otp-verify-ip";r=0;t=${wait}`);
  });

  it('counts an IPv6 client per /64', async () => {
    const sameNetwork = ['2001:db8:1:2::5', '2001:db8:1:2::6', '2001:db8:1:2:ffff::1'];
    for (const [n, ip] of sameNetwork.entries()) expect((await verifyFrom(ip, 20 + n)).status).toBe(400);
    expect((await verifyFrom('2001:db8:1:2::7', 30)).status).toBe(429);
    expect((await verifyFrom('2001:db8:1:3::5', 31)).status).toBe(400); // the next /64
  });

  it('names no client IP in any Redis key: the counter is keyed by an HMAC pseudonym', async () => {
    expect((await verifyFrom(undefined, 40)).status).toBe(400); // the socket address, 127.0.0.1
    const keys = await keysUnder(h.redis, h.keyPrefix);
    const verifyKeys = keys.filter((key) => key.includes('verify-ip'));
    // One counter per client: 198.51.100.7 (and its mapped form), 2001:db8:1:2::/64,
    // 2001:db8:1:3::/64 and 127.0.0.1.
    expect(verifyKeys).toHaveLength(4);
    for (const key of verifyKeys) {
      expect(key).toMatch(new RegExp(`^${h.keyPrefix}rl:verify-ip:[A-Za-z0-9_-]{22}$`));
    }
    const ipTexts = ['198.51.100.7', '198.51.100', '2001:db8', '2001:0db8', '127.0.0.1', 'ffff:'];
    for (const key of keys) {
      for (const text of ipTexts) expect(key, `key ${key}`).not.toContain(text);
    }
  });
});
