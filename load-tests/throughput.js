// @ts-check
/**
 * Guarantee 5: throughput and latency under load, with thresholds on p95, p99 and the error rate.
 *
 * Two scenarios run together for DURATION:
 *  - `request`: RATE OTP requests per second (open model: arrivals do not wait for responses), each
 *    for a new address from a new client address, so every one should be admitted (202);
 *  - `login`: LOGIN_VUS users each looping request -> read the code from Mailpit -> verify (200).
 * Only API requests count toward the latency thresholds (Mailpit reads are tagged apart).
 *   k6 run -e BASE_URL=http://localhost:3001 -e MAILPIT_URL=http://localhost:8025 -e RATE=100 load-tests/throughput.js
 */
import http from 'k6/http';
import { check } from 'k6';
import { assertApiUp, requestOtp, verifyOtp } from './lib/api.js';
import { env, intEnv } from './lib/config.js';
import { emailFor, randomClientIp, randomId } from './lib/identity.js';
import { latestCode } from './lib/mailpit.js';

const RATE = intEnv('RATE', 50);
const DURATION = env('DURATION', '30s');
const LOGIN_VUS = intEnv('LOGIN_VUS', 5);
const P95_MS = intEnv('P95_MS', 200);
const P99_MS = intEnv('P99_MS', 500);

/**
 * @param {string} duration - `90s`, `5m` or `1h`.
 * @returns {number} seconds
 */
function seconds(duration) {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (match === null) throw new Error(`DURATION must look like 30s, 5m or 1h, got "${duration}"`);
  return Number(match[1]) * (match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1);
}

// Here a refusal is a failure: only 200 and 202 are expected.
http.setResponseCallback(http.expectedStatuses(200, 202));

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    request: {
      executor: 'constant-arrival-rate',
      exec: 'requestOnly',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(10, RATE),
      maxVUs: Math.max(50, RATE * 4),
    },
    login: { executor: 'constant-vus', exec: 'login', vus: LOGIN_VUS, duration: DURATION },
  },
  thresholds: {
    'http_req_duration{name:otp_request}': [`p(95)<${P95_MS}`, `p(99)<${P99_MS}`],
    'http_req_duration{name:otp_verify}': [`p(95)<${P95_MS}`, `p(99)<${P99_MS}`],
    'http_req_failed{name:otp_request}': ['rate<0.01'],
    'http_req_failed{name:otp_verify}': ['rate<0.01'],
    // The open model must keep up: at most 1% of the planned arrivals may be dropped.
    dropped_iterations: [`count<=${Math.floor(RATE * seconds(DURATION) * 0.01)}`],
    checks: ['rate>0.99'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

/** @typedef {{ runId: string }} Data */

/** @returns {Data} */
export function setup() {
  assertApiUp();
  return { runId: randomId() };
}

/** @param {Data} data */
export function requestOnly(data) {
  const res = requestOtp(emailFor('throughput', data.runId, randomId()), randomClientIp());
  check(res, { 'request admitted (202)': (r) => r.status === 202 });
}

/** @param {Data} data */
export function login(data) {
  const email = emailFor('login', data.runId, randomId());
  const ip = randomClientIp();
  const requested = requestOtp(email, ip);
  if (!check(requested, { 'login: request admitted (202)': (r) => r.status === 202 })) return;
  const res = verifyOtp(email, latestCode(email), ip);
  check(res, { 'login: verified (200)': (r) => r.status === 200 });
}
