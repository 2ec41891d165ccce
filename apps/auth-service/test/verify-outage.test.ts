// An outage after the code check never spends the code, and retries of the right code are never
// failed guesses: POST /otp/verify holds the code (@tses/otp `redeem`) while it records the
// sign-in, spends it only when that succeeded, and releases it when PostgreSQL (or anything after
// the check) failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { wrongCode } from './helpers/mailbox.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';

describe('verify during an outage and under concurrent retries (full mode)', () => {
  let h: FullHarness;
  let pgProxy: TcpProxy;

  beforeAll(async () => {
    const urls = testServiceUrls();
    pgProxy = await TcpProxy.start(urls.databaseUrl, 5432);
    h = await startFullHarness({ databaseUrl: pgProxy.rewrite(urls.databaseUrl) });
  });
  afterAll(async () => {
    await pgProxy.resume().catch(() => {});
    await h.close();
    await pgProxy.stop();
  });

  async function codeFor(email: string): Promise<string> {
    expect((await h.client.post(REQUEST, { email })).status).toBe(202);
    return h.mailbox.waitForCode(email);
  }

  it('PostgreSQL down: 503, and after recovery the same code signs in exactly once', async () => {
    const email = 'outage@example.com';
    const code = await codeFor(email);
    await pgProxy.stop();
    const down = await h.client.post(VERIFY, { email, otp: code });
    expect(down.status).toBe(503);
    expect(down.body.type).toContain('service-unavailable');
    // A retry during the outage is refused the same way, not counted as a wrong code.
    expect((await h.client.post(VERIFY, { email, otp: code })).status).toBe(503);

    await pgProxy.resume();
    const recovered = await h.client.post(VERIFY, { email, otp: code });
    expect(recovered.status).toBe(200);
    expect(recovered.body.user.email).toBe(email);
    const again = await h.client.post(VERIFY, { email, otp: code });
    expect(again.status).toBe(400);
    expect(again.body.type).toContain('otp-used');
  });

  it('10 simultaneous submissions of the right code: one 200, nine 400 used or in progress, no lock', async () => {
    const email = 'double.click@example.com';
    const code = await codeFor(email);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => h.client.post(VERIFY, { email, otp: code })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
    for (const r of responses.filter((r) => r.status === 400)) {
      expect(r.body.type).toMatch(/\/otp-(used|in-progress)$/);
    }
    // The owner is not locked out: the next wrong guess is the first failure.
    const wrong = await h.client.post(VERIFY, { email, otp: wrongCode(code) });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ type: expect.stringContaining('invalid-otp'), attempts_remaining: 4 });
    // And the used code stays an answer of its own, however often it comes back.
    for (let i = 0; i < 6; i++) {
      const reused = await h.client.post(VERIFY, { email, otp: code });
      expect(reused.status).toBe(400);
      expect(reused.body.type).toContain('otp-used');
    }
    const stillCounting = await h.client.post(VERIFY, { email, otp: wrongCode(code) });
    expect(stillCounting.body.attempts_remaining).toBe(3);
  });
});
