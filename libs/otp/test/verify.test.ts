import { expect, it } from 'vitest';
import { forEachBackend, sleep } from './helpers/backends.js';

const IP = '203.0.113.7';

forEachBackend((backend) => {
  it('verifies the right code once, then answers used without counting a failure', async () => {
    const otp = backend.otp();
    const issued = await otp.request({ email: 'user@example.com', ip: IP });
    if (issued.status !== 'issued') throw new Error(`expected issued, got ${issued.status}`);
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.expiresInMs).toBe(5 * 60_000);

    expect(await otp.verify({ email: 'user@example.com', otp: issued.code })).toEqual({
      status: 'verified',
      email: 'user@example.com',
    });
    // Reused: `used`, which only the holder of the right code can see, and no failure is counted.
    expect(await otp.verify({ email: 'user@example.com', otp: issued.code })).toEqual({ status: 'used' });
    expect(await otp.verify({ email: 'user@example.com', otp: '000000x' })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('answers wrong, never requested and malformed codes alike, counting each', async () => {
    const otp = backend.otp();
    expect(await otp.verify({ email: 'never@example.com', otp: '123456' })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
    const issued = await otp.request({ email: 'user@example.com', ip: IP });
    if (issued.status !== 'issued') throw new Error('expected issued');
    const wrong = issued.code === '000000' ? '000001' : '000000';
    expect(await otp.verify({ email: 'user@example.com', otp: wrong })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
    expect(await otp.verify({ email: 'user@example.com', otp: 'abc' })).toEqual({
      status: 'invalid',
      attemptsRemaining: 3,
    });
    expect(await otp.verify({ email: 'user@example.com', otp: `${issued.code}0` })).toEqual({
      status: 'invalid',
      attemptsRemaining: 2,
    });
    // The code survives wrong attempts below the limit; surrounding spaces are ignored.
    expect(await otp.verify({ email: 'user@example.com', otp: ` ${issued.code} ` })).toMatchObject({
      status: 'verified',
    });
  });

  it('rejects an expired code, with expiry measured by the store itself', async () => {
    const otp = backend.otp({ codeTtlMs: 150 });
    const issued = await otp.request({ email: 'user@example.com', ip: IP });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect(issued.expiresInMs).toBe(150);
    await sleep(400);
    expect(await otp.verify({ email: 'user@example.com', otp: issued.code })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('replaces the previous code on a new request', async () => {
    const otp = backend.otp();
    const first = await otp.request({ email: 'user@example.com', ip: IP });
    const second = await otp.request({ email: 'user@example.com', ip: IP });
    if (first.status !== 'issued' || second.status !== 'issued') throw new Error('expected issued');
    if (first.code !== second.code) {
      expect(await otp.verify({ email: 'user@example.com', otp: first.code })).toMatchObject({
        status: 'invalid',
      });
    }
    expect(await otp.verify({ email: 'user@example.com', otp: second.code })).toMatchObject({
      status: 'verified',
    });
  });

  it('shares codes between spellings of one address', async () => {
    const otp = backend.otp();
    const issued = await otp.request({ email: ' User@Example.COM', ip: IP });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect(issued.email).toBe('user@example.com');
    expect(await otp.verify({ email: 'user@example.com', otp: issued.code })).toEqual({
      status: 'verified',
      email: 'user@example.com',
    });
  });

  it('binds a code to its email', async () => {
    const otp = backend.otp();
    const issued = await otp.request({ email: 'a@example.com', ip: IP });
    await otp.request({ email: 'b@example.com', ip: IP });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect(await otp.verify({ email: 'b@example.com', otp: issued.code })).toMatchObject({
      status: 'invalid',
    });
    expect(await otp.verify({ email: 'a@example.com', otp: issued.code })).toMatchObject({
      status: 'verified',
    });
  });

  it('answers an invalid email with a validation result, counting nothing', async () => {
    const otp = backend.otp();
    expect(await otp.verify({ email: 'not-an-email', otp: '123456' })).toMatchObject({
      status: 'invalid_email',
      problem: 'malformed',
    });
    expect(await otp.request({ email: 'a\u200b@example.com', ip: IP })).toMatchObject({
      status: 'invalid_email',
      problem: 'invalid_characters',
    });
  });

  it('honours a configured code length', async () => {
    const otp = backend.otp({ codeLength: 8 });
    const issued = await otp.request({ email: 'user@example.com', ip: IP });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect(issued.code).toMatch(/^\d{8}$/);
    expect(await otp.verify({ email: 'user@example.com', otp: issued.code })).toMatchObject({
      status: 'verified',
    });
  });
});
