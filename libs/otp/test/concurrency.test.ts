import { expect, it } from 'vitest';
import { countBy, forEachBackend } from './helpers/backends.js';

const EMAIL = 'race@example.com';

forEachBackend((backend) => {
  it('50 simultaneous verifies with the right code: exactly 1 verified, 49 used, no lock', async () => {
    const otp = backend.otp();
    const issued = await otp.request({ email: EMAIL, ip: '192.0.2.1' });
    if (issued.status !== 'issued') throw new Error('expected issued');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => otp.verify({ email: EMAIL, otp: issued.code })),
    );
    const counts = countBy(results);
    expect(counts['verified']).toBe(1);
    // The 49 losers found the code used: not a failed guess, so the owner is not locked out.
    expect(counts).toEqual({ verified: 1, used: 49 });
    const wrong = issued.code === '000000' ? '000001' : '000000';
    expect(await otp.verify({ email: EMAIL, otp: wrong })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('50 simultaneous wrong codes: exactly 4 invalid and 46 locked', async () => {
    const otp = backend.otp();
    const issued = await otp.request({ email: EMAIL, ip: '192.0.2.1' });
    if (issued.status !== 'issued') throw new Error('expected issued');
    const wrong = issued.code === '000000' ? '000001' : '000000';
    const results = await Promise.all(
      Array.from({ length: 50 }, () => otp.verify({ email: EMAIL, otp: wrong })),
    );
    expect(countBy(results)).toEqual({ invalid: 4, locked: 46 });
    const remaining = results.flatMap((r) => (r.status === 'invalid' ? [r.attemptsRemaining] : []));
    expect(remaining.sort()).toEqual([1, 2, 3, 4]);
    expect(await otp.verify({ email: EMAIL, otp: issued.code })).toMatchObject({ status: 'locked' });
  });

  it('20 simultaneous requests for one email: exactly 3 codes issued', async () => {
    const otp = backend.otp();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => otp.request({ email: EMAIL, ip: `192.0.2.${i + 1}` })),
    );
    expect(countBy(results)).toEqual({ issued: 3, rate_limited: 17 });
    expect(results.every((r) => r.status !== 'rate_limited' || r.scope === 'email')).toBe(true);
    // Each winner saw its own count: the email rule's remaining after it was 2, 1 and 0; every
    // refused request saw the email rule exhausted.
    const remaining = results.flatMap((r) =>
      r.status === 'issued' ? [r.rateLimits[0]!.decision.remaining] : [],
    );
    expect(remaining.sort()).toEqual([0, 1, 2]);
    const refused = results.flatMap((r) => (r.status === 'rate_limited' ? [r.rateLimits[0]!.decision] : []));
    expect(refused.every((d) => !d.allowed && d.remaining === 0)).toBe(true);
    // Exactly one of the three codes is live: the last one stored.
    const codes = results.flatMap((r) => (r.status === 'issued' ? [r.code] : []));
    const verdicts = [];
    for (const code of new Set(codes)) verdicts.push((await otp.verify({ email: EMAIL, otp: code })).status);
    expect(verdicts.filter((s) => s === 'verified')).toHaveLength(1);
  });

  it('20 simultaneous requests from one IP: exactly 10 issued', async () => {
    const otp = backend.otp();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => otp.request({ email: `u${i}@example.com`, ip: '192.0.2.1' })),
    );
    expect(countBy(results)).toEqual({ issued: 10, rate_limited: 10 });
  });
});
