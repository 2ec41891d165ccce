import { expect, it } from 'vitest';
import type { Otp } from '../src/index.js';
import { forEachBackend, sleep } from './helpers/backends.js';

const IP = '198.51.100.1';
const EMAIL = 'victim@example.com';

async function issue(otp: Otp) {
  const issued = await otp.request({ email: EMAIL, ip: IP });
  if (issued.status !== 'issued') throw new Error(`expected issued, got ${issued.status}`);
  return { code: issued.code, wrong: issued.code === '999999' ? '999998' : '999999' };
}

const verify = (otp: Otp, code: string) => otp.verify({ email: EMAIL, otp: code });

forEachBackend((backend) => {
  it('locks on the failure that reaches the limit and deletes the code', async () => {
    const otp = backend.otp();
    const { code, wrong } = await issue(otp);
    for (const remaining of [4, 3, 2, 1]) {
      expect(await verify(otp, wrong)).toEqual({
        status: 'invalid',
        attemptsRemaining: remaining,
      });
    }
    const fifth = await verify(otp, wrong);
    expect(fifth).toMatchObject({ status: 'locked', retryAfterMs: 15 * 60_000 });
    if (fifth.status !== 'locked') throw new Error('expected locked');
    expect(fifth.unlocksAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    // Every attempt while locked answers locked, the right code included.
    for (const attempt of [code, wrong, code]) {
      const r = await verify(otp, attempt);
      expect(r.status).toBe('locked');
      if (r.status === 'locked') expect(r.retryAfterMs).toBeGreaterThan(14 * 60_000);
    }
  });

  it('unlocks when the lock expires, with the locked code gone', async () => {
    const otp = backend.otp({ maxFailures: 2, lockMs: 800 });
    const { code, wrong } = await issue(otp);
    expect(await verify(otp, wrong)).toMatchObject({
      status: 'invalid',
      attemptsRemaining: 1,
    });
    expect(await verify(otp, wrong)).toMatchObject({
      status: 'locked',
      retryAfterMs: 800,
    });
    expect(await verify(otp, code)).toMatchObject({ status: 'locked' });
    await sleep(1_000);
    // The code was deleted by the lock; the failure count starts afresh.
    expect(await verify(otp, code)).toEqual({
      status: 'invalid',
      attemptsRemaining: 1,
    });
    const fresh = await issue(otp);
    expect(await verify(otp, fresh.code)).toMatchObject({ status: 'verified' });
  });

  it('does not reset failures when a new code is requested', async () => {
    const otp = backend.otp();
    const { wrong } = await issue(otp);
    for (let i = 0; i < 3; i++) await verify(otp, wrong);
    const resent = await issue(otp);
    expect(await verify(otp, resent.wrong)).toEqual({
      status: 'invalid',
      attemptsRemaining: 1,
    });
    expect(await verify(otp, resent.wrong)).toMatchObject({ status: 'locked' });
    expect(await verify(otp, resent.code)).toMatchObject({ status: 'locked' });
  });

  it('clears failures on success', async () => {
    const otp = backend.otp();
    const first = await issue(otp);
    for (let i = 0; i < 4; i++) await verify(otp, first.wrong);
    expect(await verify(otp, first.code)).toMatchObject({ status: 'verified' });
    const second = await issue(otp);
    expect(await verify(otp, second.wrong)).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('forgets failures when the failure window ends', async () => {
    const otp = backend.otp({ failureWindowMs: 250 });
    const { wrong } = await issue(otp);
    for (let i = 0; i < 4; i++) await verify(otp, wrong);
    await sleep(450);
    expect(await verify(otp, wrong)).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('applies the long-window cap across short locks', async () => {
    const otp = backend.otp({ maxFailures: 2, lockMs: 150, longMaxFailures: 5, longLockMs: 60_000 });
    const { wrong } = await issue(otp);
    // Two short locks: four failures, each pair locking for lockMs.
    for (let round = 0; round < 2; round++) {
      expect(await verify(otp, wrong)).toEqual({ status: 'invalid', attemptsRemaining: 1 });
      expect(await verify(otp, wrong)).toMatchObject({ status: 'locked', retryAfterMs: 150 });
      await sleep(300);
    }
    // Fifth failure overall reaches the long cap: the long lock wins.
    expect(await verify(otp, wrong)).toMatchObject({
      status: 'locked',
      retryAfterMs: 60_000,
    });
    await sleep(300);
    const { code } = await issue(otp);
    expect(await verify(otp, code)).toMatchObject({ status: 'locked' });
  });

  it('reports the lower of the two remaining budgets', async () => {
    const otp = backend.otp({ maxFailures: 5, longMaxFailures: 2 });
    const { wrong } = await issue(otp);
    expect(await verify(otp, wrong)).toEqual({
      status: 'invalid',
      attemptsRemaining: 1,
    });
  });

  it('can run without the long-window cap', async () => {
    const otp = backend.otp({ maxFailures: 1, lockMs: 100, longMaxFailures: 0 });
    const { wrong } = await issue(otp);
    for (let i = 0; i < 3; i++) {
      expect(await verify(otp, wrong)).toMatchObject({
        status: 'locked',
        retryAfterMs: 100,
      });
      await sleep(250);
    }
  });
});
