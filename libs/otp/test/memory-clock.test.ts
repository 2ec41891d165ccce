// The memory store counts time as Redis does, in whole milliseconds: a lock reports exactly the
// configured duration (not one millisecond more), and its clock can be injected.
import { expect, it } from 'vitest';
import { MemoryOtpStore } from '../src/index.js';

const keys = { code: 'c', failures: 'f', longFailures: 'lf', lock: 'l' };
const policy = {
  maxFailures: 1,
  failureWindowMs: 60_000,
  lockMs: 3_000,
  longMaxFailures: 0,
  longFailureWindowMs: 60_000,
  longLockMs: 60_000,
};

it('reports a lock of exactly lockMs on a fractional clock, and counts down on the injected one', async () => {
  // (t + 3000) - t is 3000.000000000002 at this t: rounded up, that read as a 3001 ms lock.
  let t = 15_077.649320192066;
  const store = new MemoryOtpStore({ now: () => t });
  await store.saveCode(keys, 'a'.repeat(64), 300_000);
  expect(await store.verifyCode(keys, 'b'.repeat(64), policy)).toEqual({
    status: 'locked',
    retryAfterMs: 3_000,
  });
  expect(await store.verifyCode(keys, 'a'.repeat(64), policy)).toEqual({
    status: 'locked',
    retryAfterMs: 3_000,
  });
  t += 2_999;
  expect(await store.verifyCode(keys, 'a'.repeat(64), policy)).toEqual({ status: 'locked', retryAfterMs: 1 });
  t += 1;
  // The lock is over and took the code with it: this guess is a new failure, and locks again.
  expect(await store.verifyCode(keys, 'a'.repeat(64), policy)).toEqual({
    status: 'locked',
    retryAfterMs: 3_000,
  });
});
