// The Redis key layout documented in README.md ("Redis keys"): one prefix per concern under the
// service prefix, each key named once (no prefix repeated inside another).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysUnder, startFullHarness, type FullHarness } from './helpers/harness.js';
import { wrongCode } from './helpers/mailbox.js';

const PSEUDONYM = '[A-Za-z0-9_-]{22}'; // 128-bit HMAC, base64url
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('Redis key layout (full mode, real Redis)', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps every key under one prefix per concern: otp:, rl:, auth:', async () => {
    const session = await h.signIn('layout@example.com');
    await h.client.post('/api/v1/auth/otp/request', { email: 'layout.other@example.com' });
    const code = await h.mailbox.waitForCode('layout.other@example.com');
    await h.client.post('/api/v1/auth/otp/verify', {
      email: 'layout.other@example.com',
      otp: wrongCode(code),
    });
    await h.client.post('/api/v1/auth/logout', { refresh: session.refresh });

    const p = h.keyPrefix;
    const layout = [
      // @tses/otp: an address's code, failure counters, lock and request window share a hash tag.
      `${p}otp:\\{e:${PSEUDONYM}\\}:(code|fail|fail:long|lock|req)`,
      // @tses/otp: a client IP's (IPv6: /64's) request window.
      `${p}otp:\\{i:${PSEUDONYM}\\}:req`,
      // The service's own limits: verification attempts per client IP.
      `${p}rl:verify-ip:${PSEUDONYM}`,
      // Sessions: the live refresh token of a login, and a revoked login's marker.
      `${p}auth:rt:\\{${UUID}\\}:${UUID}`,
      `${p}auth:revoked:\\{${UUID}\\}`,
    ].map((pattern) => new RegExp(`^${pattern}$`));

    const keys = await keysUnder(h.redis, p);
    const kinds = new Set<number>();
    for (const key of keys) {
      const kind = layout.findIndex((pattern) => pattern.test(key));
      expect(kind, `undocumented key ${key}`).toBeGreaterThanOrEqual(0);
      kinds.add(kind);
      expect(key.indexOf(p, p.length), `prefix repeated in ${key}`).toBe(-1);
    }
    expect([...kinds].sort()).toEqual([0, 1, 2, 3, 4]);
    // The request windows are the library's own keys, not copies under another prefix.
    expect(keys.filter((key) => key.endsWith(':req')).length).toBe(3); // 2 addresses, 1 IP
  });
});
