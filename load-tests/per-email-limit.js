// @ts-check
/**
 * Guarantee 1: the per-email limit admits exactly EMAIL_LIMIT (3) of N simultaneous requests for
 * one address, and the worker emails exactly that many codes.
 *
 * Every request comes from its own client address, so only the email limit can bind.
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 load-tests/per-email-limit.js
 * Exits 99 when a threshold (an exact count) fails.
 */
import { assertApiUp, requestOtp } from './lib/api.js';
import { limitBurst } from './lib/burst.js';
import { EMAIL_LIMIT, intEnv } from './lib/config.js';
import { emailFor, randomClientIp, randomId } from './lib/identity.js';

const burst = limitBurst('email', EMAIL_LIMIT, intEnv('N', 20));

export const options = burst.options;

/** @typedef {{ email: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  return { email: emailFor('per-email', randomId()) };
}

/** @param {Data} data */
export default function (data) {
  burst.record(requestOtp(data.email, randomClientIp()));
}

/** @param {Data} data */
export function teardown(data) {
  burst.countEmails(data.email);
}
