// @ts-check
import http from 'k6/http';
import { BASE_URL } from './config.js';

/**
 * The two OTP endpoints, as the load tests call them. Every request names its client with
 * `X-Forwarded-For`: the target API must run with TRUST_PROXY=1 (the compose `api-load` service does),
 * otherwise every request counts against the one address k6 connects from (load-tests/README.md).
 */

/**
 * @param {string} ip
 * @param {string} name - The `name` tag, so thresholds can target one endpoint.
 * @returns {import('k6/http').RefinedParams<'text'>}
 */
function params(ip, name) {
  return {
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Forwarded-For': ip },
    tags: { name },
  };
}

/**
 * `POST /api/v1/auth/otp/request`: 202 when admitted, 429 when a limit tripped.
 *
 * @param {string} email
 * @param {string} ip - The client address the API should see.
 * @returns {import('k6/http').RefinedResponse<'text'>}
 */
export function requestOtp(email, ip) {
  return http.post(
    `${BASE_URL}/api/v1/auth/otp/request`,
    JSON.stringify({ email }),
    params(ip, 'otp_request'),
  );
}

/**
 * `POST /api/v1/auth/otp/verify`: 200 with tokens, 400 wrong code, 423 locked.
 *
 * @param {string} email
 * @param {string} otp
 * @param {string} ip
 * @returns {import('k6/http').RefinedResponse<'text'>}
 */
export function verifyOtp(email, otp, ip) {
  return http.post(
    `${BASE_URL}/api/v1/auth/otp/verify`,
    JSON.stringify({ email, otp }),
    params(ip, 'otp_verify'),
  );
}

/**
 * Which limit a 429 names in its problem body (`scope`: `email` or `ip`), or `''`.
 *
 * @param {import('k6/http').RefinedResponse<'text'>} res
 * @returns {string}
 */
export function throttleScope(res) {
  try {
    const body = /** @type {{ scope?: unknown }} */ (JSON.parse(String(res.body)));
    return typeof body.scope === 'string' ? body.scope : '';
  } catch (_notJson) {
    // A named binding, not `catch {`: k6 v0.48's parser refuses optional catch binding (ES2019).
    return '';
  }
}

/**
 * A code guaranteed to differ from `code`, with the same length.
 *
 * @param {string} code
 * @returns {string}
 */
export function wrongCode(code) {
  let wrong = '';
  for (let i = 0; i < code.length; i++) wrong += String((Number(code.charAt(i)) + 1) % 10);
  return wrong;
}

/**
 * Marks the statuses a guarantee expects (200, 202, 400, 423, 429) as expected, so k6 does not
 * report the refusals the test provokes as failed requests. Call once, at the top of a script.
 */
export function expectGuaranteeStatuses() {
  http.setResponseCallback(http.expectedStatuses(200, 202, 400, 423, 429));
}

/**
 * Fails the run early with a readable message when the API is not there.
 */
export function assertApiUp() {
  const res = http.get(`${BASE_URL}/readyz`, { tags: { name: 'readyz' } });
  if (res.status !== 200) {
    throw new Error(`${BASE_URL}/readyz answered ${res.status}: is the API running (BASE_URL)?`);
  }
}
