// @ts-check
/* global __ENV */
/**
 * Settings of every load test, from the environment (`k6 run -e NAME=value` or the container's env).
 * ECMAScript 2017 syntax at most, on purpose (e2e/test/k6-scripts.test.ts): older k6 parsers refuse
 * newer syntax (no `??`, no `?.`, no `catch {`).
 */

/**
 * A trimmed environment variable, or the fallback when it is unset or empty.
 *
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function env(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/**
 * A positive integer from the environment.
 *
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function intEnv(name, fallback) {
  const raw = env(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The API under test, without a trailing slash. */
export const BASE_URL = env('BASE_URL', 'http://localhost:3001').replace(/\/+$/, '');

/** Mailpit's web UI and API, without a trailing slash. */
export const MAILPIT_URL = env('MAILPIT_URL', 'http://localhost:8025').replace(/\/+$/, '');

/**
 * The service's limits (its defaults: 3 codes per email per 10 minutes, 10 per IP per hour; the
 * service reads OTP_REQUESTS_PER_EMAIL, OTP_REQUESTS_PER_IP): set these to the same values when the
 * service runs with other limits.
 */
export const EMAIL_LIMIT = intEnv('EMAIL_LIMIT', 3);
export const IP_LIMIT = intEnv('IP_LIMIT', 10);
/** Failed codes before the lock: the attempt that reaches this number already gets 423. */
export const MAX_ATTEMPTS = intEnv('MAX_ATTEMPTS', 5);

/** Seconds to wait for the worker to deliver an email to Mailpit. */
export const EMAIL_TIMEOUT_S = intEnv('EMAIL_TIMEOUT_S', 30);
