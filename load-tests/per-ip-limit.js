// @ts-check
/**
 * Guarantee 2: the per-IP limit admits exactly IP_LIMIT (10) of N simultaneous requests from one
 * client address, each for a different email, and the worker emails exactly that many codes.
 *
 * The address is random per run (2001:db8::/32), sent as X-Forwarded-For to an API that trusts one
 * proxy hop, so the hour-long per-IP window of one run never affects another run or scenario.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/per-ip-limit.js
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { assertApiUp, expectGuaranteeStatuses, requestOtp, throttleScope } from './lib/api.js';
import { IP_LIMIT, intEnv } from './lib/config.js';
import { emailFor, emailPrefix, randomClientIp, randomId } from './lib/identity.js';
import { codeInMessage, searchByRecipient, waitForMessages } from './lib/mailpit.js';

const N = intEnv('N', 25);
if (N <= IP_LIMIT) throw new Error(`N (${N}) must exceed IP_LIMIT (${IP_LIMIT})`);

expectGuaranteeStatuses();

const admitted = new Counter('admitted');
const throttledByIp = new Counter('throttled_ip');
const unexpected = new Counter('unexpected');
const delivered = new Counter('emails_delivered');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    burst: { executor: 'per-vu-iterations', vus: N, iterations: 1, maxDuration: '60s' },
  },
  thresholds: {
    admitted: [`count==${IP_LIMIT}`],
    throttled_ip: [`count==${N - IP_LIMIT}`],
    unexpected: ['count==0'],
    emails_delivered: [`count==${IP_LIMIT}`],
    checks: ['rate==1'],
  },
};

/** @typedef {{ runId: string, ip: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  return { runId: randomId(), ip: randomClientIp() };
}

/** @param {Data} data */
export default function (data) {
  const res = requestOtp(emailFor('per-ip', data.runId, exec.vu.idInTest), data.ip);
  const isAdmitted = res.status === 202;
  const isThrottled = res.status === 429 && throttleScope(res) === 'ip';
  admitted.add(isAdmitted ? 1 : 0);
  throttledByIp.add(isThrottled ? 1 : 0);
  unexpected.add(isAdmitted || isThrottled ? 0 : 1);
  check(res, {
    '202, or 429 naming the IP limit': () => isAdmitted || isThrottled,
    '429 carries Retry-After': (r) => r.status !== 429 || Number(r.headers['Retry-After']) > 0,
  });
}

/** @param {Data} data */
export function teardown(data) {
  const recipients = emailPrefix('per-ip', data.runId);
  waitForMessages(recipients, IP_LIMIT);
  sleep(2);
  const messages = searchByRecipient(recipients);
  delivered.add(messages.length);
  const latest = messages[0];
  check(latest, { 'the email carries a code': (m) => m !== undefined && /^\d+$/.test(codeInMessage(m.ID)) });
}
