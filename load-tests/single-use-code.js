// @ts-check
/**
 * Guarantee 4: N simultaneous verifies of the right code yield exactly one `200` with tokens; every
 * other attempt is refused (`400`: already used; `423` once the refusals reach the lockout).
 *
 * The code is requested in setup() and read from Mailpit, as a user would.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/single-use-code.js
 */
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { assertApiUp, expectGuaranteeStatuses, verifyOtp } from './lib/api.js';
import { burstScenario, issuedCode } from './lib/burst.js';
import { intEnv } from './lib/config.js';
import { emailFor, randomClientIp, randomId } from './lib/identity.js';

const N = intEnv('N', 20);
if (N < 2) throw new Error('N must be at least 2');

expectGuaranteeStatuses();

const succeeded = new Counter('succeeded_200');
const refused = new Counter('refused');
const unexpected = new Counter('unexpected');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: burstScenario(N),
  thresholds: {
    succeeded_200: ['count==1'],
    refused: [`count==${N - 1}`],
    unexpected: ['count==0'],
    checks: ['rate==1'],
  },
};

/** @typedef {{ email: string, code: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  const email = emailFor('single-use', randomId());
  return { email, code: issuedCode(email) };
}

/** @param {Data} data */
export default function (data) {
  const res = verifyOtp(data.email, data.code, randomClientIp());
  const isRefused = res.status === 400 || res.status === 423;
  succeeded.add(res.status === 200 ? 1 : 0);
  refused.add(isRefused ? 1 : 0);
  unexpected.add(res.status === 200 || isRefused ? 0 : 1);
  check(res, {
    '200, 400 or 423': () => res.status === 200 || isRefused,
    '200 carries an access token': (r) => r.status !== 200 || typeof r.json('access') === 'string',
  });
}
