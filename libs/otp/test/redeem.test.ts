// Two-phase verification: a right code is held while the caller's work runs, spent only when the
// work succeeds, and usable again (with its original expiry) when it fails.
import { expect, it } from 'vitest';
import type { Otp } from '../src/index.js';
import { countBy, forEachBackend, sleep } from './helpers/backends.js';

const EMAIL = 'redeem@example.com';
const IP = '198.51.100.7';

async function issue(otp: Otp): Promise<{ code: string; wrong: string }> {
  const issued = await otp.request({ email: EMAIL, ip: IP });
  if (issued.status !== 'issued') throw new Error(`expected issued, got ${issued.status}`);
  const wrong = issued.code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
  return { code: issued.code, wrong };
}

/** A promise the test settles by hand, to hold a claim open as long as it likes. */
function gate<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class DatabaseDown extends Error {}

forEachBackend((backend) => {
  it('runs the work with the code held and spends the code only when the work succeeds', async () => {
    const otp = backend.otp();
    const { code } = await issue(otp);
    const seen: string[] = [];
    const result = await otp.redeem({ email: ' Redeem@Example.com', otp: code }, async ({ email }) => {
      seen.push(email);
      return { userId: 42 };
    });
    expect(result).toEqual({ status: 'verified', email: EMAIL, value: { userId: 42 } });
    expect(seen).toEqual([EMAIL]);
    // Spent: answered `used`, and the work does not run again.
    expect(await otp.redeem({ email: EMAIL, otp: code }, async () => seen.push('again'))).toEqual({
      status: 'used',
    });
    expect(seen).toEqual([EMAIL]);
  });

  it('a failed work releases the code: the same code then succeeds exactly once', async () => {
    const otp = backend.otp();
    const { code } = await issue(otp);
    const failure = new DatabaseDown('PostgreSQL is down');
    await expect(
      otp.redeem({ email: EMAIL, otp: code }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await otp.redeem({ email: EMAIL, otp: code }, async () => 'signed in')).toEqual({
      status: 'verified',
      email: EMAIL,
      value: 'signed in',
    });
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
  });

  it('a released code keeps its original expiry', async () => {
    const otp = backend.otp({ codeTtlMs: 700 });
    const { code } = await issue(otp);
    await expect(
      otp.redeem({ email: EMAIL, otp: code }, async () => {
        throw new DatabaseDown();
      }),
    ).rejects.toBeInstanceOf(DatabaseDown);
    await sleep(1_000);
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('a used code answers `used` again and again without counting a failure or locking', async () => {
    const otp = backend.otp();
    const { code, wrong } = await issue(otp);
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'verified', email: EMAIL });
    for (let i = 0; i < 8; i++)
      expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
    // A wrong guess still counts, from a clean slate (the success cleared the counters).
    expect(await otp.verify({ email: EMAIL, otp: wrong })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('while the code is held, the right code answers `in_progress` (not a failure); a wrong one counts', async () => {
    const otp = backend.otp({ claimLeaseMs: 10_000 });
    const { code, wrong } = await issue(otp);
    const work = gate<string>();
    const started = gate<void>();
    const holding = otp.redeem({ email: EMAIL, otp: code }, async () => {
      started.resolve();
      return work.promise;
    });
    await started.promise;
    const meanwhile = await Promise.all(
      Array.from({ length: 10 }, () => otp.verify({ email: EMAIL, otp: code })),
    );
    expect(countBy(meanwhile)).toEqual({ in_progress: 10 });
    for (const r of meanwhile) {
      if (r.status !== 'in_progress') throw new Error('expected in_progress');
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(10_000);
    }
    expect(await otp.verify({ email: EMAIL, otp: wrong })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
    work.reject(new DatabaseDown());
    await expect(holding).rejects.toBeInstanceOf(DatabaseDown);
    // Released: the owner's retry succeeds, and only once.
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'verified', email: EMAIL });
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
  });

  it('10 simultaneous redeems of the right code: one runs the work, none counts a failure', async () => {
    const otp = backend.otp();
    const { code, wrong } = await issue(otp);
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        otp.redeem({ email: EMAIL, otp: code }, async () => {
          runs += 1;
          await sleep(50);
          return runs;
        }),
      ),
    );
    expect(runs).toBe(1);
    const counts = countBy(results);
    expect(counts['verified']).toBe(1);
    expect((counts['in_progress'] ?? 0) + (counts['used'] ?? 0)).toBe(9);
    expect(await otp.verify({ email: EMAIL, otp: wrong })).toEqual({
      status: 'invalid',
      attemptsRemaining: 4,
    });
  });

  it('an abandoned claim fails safe: after its lease the code is spent, not usable again', async () => {
    const otp = backend.otp({ claimLeaseMs: 150 });
    const { code } = await issue(otp);
    // The work outlives its lease and then fails: the release comes too late to be honoured.
    await expect(
      otp.redeem({ email: EMAIL, otp: code }, async () => {
        await sleep(400);
        throw new DatabaseDown();
      }),
    ).rejects.toBeInstanceOf(DatabaseDown);
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
  });

  it('a claim outlived by its lease can still be committed by its holder', async () => {
    const otp = backend.otp({ claimLeaseMs: 150 });
    const { code } = await issue(otp);
    const result = await otp.redeem({ email: EMAIL, otp: code }, async () => {
      await sleep(400);
      return 'slow but done';
    });
    expect(result).toEqual({ status: 'verified', email: EMAIL, value: 'slow but done' });
    expect(await otp.verify({ email: EMAIL, otp: code })).toEqual({ status: 'used' });
  });

  it('a new code replaces a held one: the old claim can neither commit nor release it', async () => {
    const otp = backend.otp({ claimLeaseMs: 10_000 });
    const first = await issue(otp);
    const work = gate<string>();
    const started = gate<void>();
    const holding = otp.redeem({ email: EMAIL, otp: first.code }, async () => {
      started.resolve();
      return work.promise;
    });
    await started.promise;
    const second = await issue(otp);
    work.reject(new DatabaseDown());
    await expect(holding).rejects.toBeInstanceOf(DatabaseDown);
    if (second.code !== first.code) {
      expect(await otp.verify({ email: EMAIL, otp: first.code })).toMatchObject({ status: 'invalid' });
    }
    expect(await otp.verify({ email: EMAIL, otp: second.code })).toEqual({
      status: 'verified',
      email: EMAIL,
    });
  });

  it('answers locked (without running the work) while the address is locked', async () => {
    const otp = backend.otp({ maxFailures: 2 });
    const { code, wrong } = await issue(otp);
    await otp.verify({ email: EMAIL, otp: wrong });
    expect(await otp.verify({ email: EMAIL, otp: wrong })).toMatchObject({ status: 'locked' });
    let ran = false;
    expect(
      await otp.redeem({ email: EMAIL, otp: code }, async () => {
        ran = true;
      }),
    ).toMatchObject({ status: 'locked' });
    expect(ran).toBe(false);
  });
});
