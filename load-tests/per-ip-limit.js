// @ts-check
/**
 * Guarantee 2: the per-IP limit admits exactly IP_LIMIT (10) of N simultaneous requests from one
 * client address, each for a different email, and the worker emails exactly that many codes.
 *
 * The address is random per run (2001:db8::/32), sent as X-Forwarded-For to an API that trusts one
 * proxy hop, so the hour-long per-IP window of one run never affects another run or scenario.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/per-ip-limit.js
 */
import exec from 'k6/execution';
import { assertApiUp, requestOtp } from './lib/api.js';
import { limitBurst } from './lib/burst.js';
import { IP_LIMIT, intEnv } from './lib/config.js';
import { emailFor, emailPrefix, randomClientIp, randomId } from './lib/identity.js';

const burst = limitBurst('ip', IP_LIMIT, intEnv('N', 25));

export const options = burst.options;

/** @typedef {{ runId: string, ip: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  return { runId: randomId(), ip: randomClientIp() };
}

/** @param {Data} data */
export default function (data) {
  burst.record(requestOtp(emailFor('per-ip', data.runId, exec.vu.idInTest), data.ip));
}

/** @param {Data} data */
export function teardown(data) {
  burst.countEmails(emailPrefix('per-ip', data.runId));
}
