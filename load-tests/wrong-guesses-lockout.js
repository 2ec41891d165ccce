// @ts-check
/**
 * Guarantee 3: N simultaneous wrong guesses for one address yield exactly MAX_ATTEMPTS - 1 (4)
 * `400`s with `attempts_remaining`, and `423` with `unlock_eta` for all the rest (the attempt that
 * reaches the limit is already locked). Afterwards even the right code is refused with 423.
 *
 * The code is requested in setup() and read from Mailpit, so the guesses are certainly wrong. Each
 * guess comes from its own client address, so no per-IP verify limit can interfere.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/wrong-guesses-lockout.js
 */
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { assertApiUp, expectGuaranteeStatuses, verifyOtp, wrongCode } from './lib/api.js';
import { burstScenario, issuedCode } from './lib/burst.js';
import { MAX_ATTEMPTS, intEnv } from './lib/config.js';
import { emailFor, randomClientIp, randomId } from './lib/identity.js';

const N = intEnv('N', 20);
if (N < MAX_ATTEMPTS) throw new Error(`N (${N}) must be at least MAX_ATTEMPTS (${MAX_ATTEMPTS})`);

expectGuaranteeStatuses();

const rejected = new Counter('rejected_400');
const locked = new Counter('locked_423');
const unexpected = new Counter('unexpected');
const rightCodeLocked = new Counter('right_code_locked');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: burstScenario(N),
  thresholds: {
    rejected_400: [`count==${MAX_ATTEMPTS - 1}`],
    locked_423: [`count==${N - (MAX_ATTEMPTS - 1)}`],
    unexpected: ['count==0'],
    right_code_locked: ['count==1'],
    checks: ['rate==1'],
  },
};

/** @typedef {{ email: string, code: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  const email = emailFor('lockout', randomId());
  return { email, code: issuedCode(email) };
}

/** @param {Data} data */
export default function (data) {
  const res = verifyOtp(data.email, wrongCode(data.code), randomClientIp());
  rejected.add(res.status === 400 ? 1 : 0);
  locked.add(res.status === 423 ? 1 : 0);
  unexpected.add(res.status === 400 || res.status === 423 ? 0 : 1);
  check(res, {
    '400 or 423': (r) => r.status === 400 || r.status === 423,
    '400 says how many attempts remain': (r) =>
      r.status !== 400 || typeof r.json('attempts_remaining') === 'number',
    '423 says when it unlocks, also in Retry-After': (r) =>
      r.status !== 423 || (Number(r.json('unlock_eta')) > 0 && Number(r.headers['Retry-After']) > 0),
  });
}

/** @param {Data} data */
export function teardown(data) {
  const res = verifyOtp(data.email, data.code, randomClientIp());
  rightCodeLocked.add(res.status === 423 ? 1 : 0);
  check(res, { 'the right code is refused while locked': (r) => r.status === 423 });
}
