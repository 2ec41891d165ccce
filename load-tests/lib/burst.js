// @ts-check
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import { expectGuaranteeStatuses, requestOtp, throttleScope } from './api.js';
import { randomClientIp } from './identity.js';
import { codeInMessage, latestCode, searchByRecipient, waitForMessages } from './mailpit.js';

/**
 * What the four guarantee scripts share: N virtual users firing one request each at the same moment,
 * and the setup steps around that burst. Call these from init code (k6 creates metrics only there).
 */

/**
 * One iteration per VU, all at once.
 *
 * @param {number} n - Simultaneous requests.
 * @returns {import('k6/options').Options['scenarios']}
 */
export function burstScenario(n) {
  return { burst: { executor: 'per-vu-iterations', vus: n, iterations: 1, maxDuration: '60s' } };
}

/**
 * Guarantees 1 and 2: N simultaneous OTP requests against one limit. Each response counts as
 * admitted (`202`), throttled by that limit (`429` naming it in `scope`), or unexpected; afterwards
 * the emails the worker delivered are counted. The thresholds demand exact counts.
 *
 * @param {'email' | 'ip'} scope - The limit under test, as the `429` body names it.
 * @param {number} limit - What the service admits (EMAIL_LIMIT or IP_LIMIT).
 * @param {number} n - Simultaneous requests; must exceed `limit`.
 */
export function limitBurst(scope, limit, n) {
  if (n <= limit) throw new Error(`N (${n}) must exceed the ${scope} limit (${limit})`);
  expectGuaranteeStatuses();
  // Every VU adds 0 or 1 to each counter, so each metric has samples and its threshold is evaluated.
  const admitted = new Counter('admitted');
  const throttled = new Counter(`throttled_${scope}`);
  const unexpected = new Counter('unexpected');
  const delivered = new Counter('emails_delivered');
  const label = scope === 'ip' ? 'IP' : scope;

  /** @type {import('k6/options').Options} */
  const options = {
    scenarios: burstScenario(n),
    thresholds: {
      admitted: [`count==${limit}`],
      [`throttled_${scope}`]: [`count==${n - limit}`],
      unexpected: ['count==0'],
      emails_delivered: [`count==${limit}`],
      checks: ['rate==1'],
    },
  };

  return {
    options,
    /**
     * Counts one response of the burst.
     *
     * @param {import('k6/http').RefinedResponse<'text'>} res
     */
    record(res) {
      const isAdmitted = res.status === 202;
      const isThrottled = res.status === 429 && throttleScope(res) === scope;
      admitted.add(isAdmitted ? 1 : 0);
      throttled.add(isThrottled ? 1 : 0);
      unexpected.add(isAdmitted || isThrottled ? 0 : 1);
      check(res, {
        [`202, or 429 naming the ${label} limit`]: () => isAdmitted || isThrottled,
        '429 carries Retry-After': (r) => r.status !== 429 || Number(r.headers['Retry-After']) > 0,
      });
    },
    /**
     * Counts the emails for `recipients` (an address, or the part all of a run's addresses share).
     *
     * @param {string} recipients
     */
    countEmails(recipients) {
      waitForMessages(recipients, limit);
      sleep(2); // a late extra email would be a broken guarantee: give it time to show up
      const messages = searchByRecipient(recipients);
      delivered.add(messages.length);
      check(messages[0], {
        'the email carries a code': (m) => m !== undefined && /^\d+$/.test(codeInMessage(m.ID)),
      });
    },
  };
}

/**
 * Guarantees 3 and 4 start from a real code: requests one for `email` and reads it from Mailpit, as
 * a user would. Call from `setup()`.
 *
 * @param {string} email
 * @returns {string} the code
 * @throws when the request is not admitted or no email arrives.
 */
export function issuedCode(email) {
  const res = requestOtp(email, randomClientIp());
  if (res.status !== 202) throw new Error(`OTP request answered ${res.status}, expected 202: ${res.body}`);
  return latestCode(email);
}
