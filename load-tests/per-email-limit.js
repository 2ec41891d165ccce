// @ts-check
/**
 * Guarantee 1: the per-email limit admits exactly EMAIL_LIMIT (3) of N simultaneous requests for
 * one address, and the worker emails exactly that many codes.
 *
 * Every request comes from its own client address, so only the email limit can bind.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/per-email-limit.js
 * Exits 99 when a threshold (an exact count) fails.
 */
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import { assertApiUp, expectGuaranteeStatuses, requestOtp, throttleScope } from './lib/api.js';
import { EMAIL_LIMIT, intEnv } from './lib/config.js';
import { emailFor, randomClientIp, randomId } from './lib/identity.js';
import { codeInMessage, searchByRecipient, waitForMessages } from './lib/mailpit.js';

const N = intEnv('N', 20);
if (N <= EMAIL_LIMIT) throw new Error(`N (${N}) must exceed EMAIL_LIMIT (${EMAIL_LIMIT})`);

expectGuaranteeStatuses();

// Every VU adds 0 or 1 to each counter, so each metric has samples and its threshold is evaluated.
const admitted = new Counter('admitted');
const throttledByEmail = new Counter('throttled_email');
const unexpected = new Counter('unexpected');
const delivered = new Counter('emails_delivered');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    burst: { executor: 'per-vu-iterations', vus: N, iterations: 1, maxDuration: '60s' },
  },
  thresholds: {
    admitted: [`count==${EMAIL_LIMIT}`],
    throttled_email: [`count==${N - EMAIL_LIMIT}`],
    unexpected: ['count==0'],
    emails_delivered: [`count==${EMAIL_LIMIT}`],
    checks: ['rate==1'],
  },
};

/** @typedef {{ email: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  return { email: emailFor('per-email', randomId()) };
}

/** @param {Data} data */
export default function (data) {
  const res = requestOtp(data.email, randomClientIp());
  const isAdmitted = res.status === 202;
  const isThrottled = res.status === 429 && throttleScope(res) === 'email';
  admitted.add(isAdmitted ? 1 : 0);
  throttledByEmail.add(isThrottled ? 1 : 0);
  unexpected.add(isAdmitted || isThrottled ? 0 : 1);
  check(res, {
    '202, or 429 naming the email limit': () => isAdmitted || isThrottled,
    '429 carries Retry-After': (r) => r.status !== 429 || Number(r.headers['Retry-After']) > 0,
  });
}

/** @param {Data} data */
export function teardown(data) {
  waitForMessages(data.email, EMAIL_LIMIT);
  sleep(2); // a late extra email would be a broken guarantee: give it time to show up
  const messages = searchByRecipient(data.email);
  delivered.add(messages.length);
  const latest = messages[0];
  check(latest, { 'the email carries a code': (m) => m !== undefined && /^\d+$/.test(codeInMessage(m.ID)) });
}
