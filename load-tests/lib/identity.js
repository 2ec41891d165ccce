// @ts-check
/**
 * Unique addresses and client IPs, so runs never share rate-limit or lockout state with earlier runs
 * (the per-IP window lasts an hour) or with each other.
 *
 * k6 runs the init code once per VU, so anything all VUs must agree on (the run id, the one email
 * of a burst) is created in `setup()` and handed to the VUs as its return value.
 */

/** @returns {string} 12 random base-36 characters. */
export function randomId() {
  let id = '';
  while (id.length < 12) id += Math.random().toString(36).slice(2);
  return id.slice(0, 12);
}

/**
 * The part shared by every address of one scenario run; Mailpit's `to:` search matches substrings,
 * so it finds all of them at once.
 *
 * @param {string} scenario - Readable part, e.g. `per-ip`.
 * @param {string} runId - From {@link randomId}, created in `setup()`.
 * @returns {string}
 */
export function emailPrefix(scenario, runId) {
  return `load-${scenario}-${runId}`;
}

/**
 * A fresh address on the reserved example.com domain; Mailpit catches it whatever the domain.
 *
 * @param {string} scenario - Readable part, e.g. `per-email`.
 * @param {string} runId - From {@link randomId}, created in `setup()`.
 * @param {number | string} [index] - Optional suffix, for one address per VU or iteration.
 * @returns {string}
 */
export function emailFor(scenario, runId, index) {
  return `${emailPrefix(scenario, runId)}${index === undefined ? '' : `-${index}`}@example.com`;
}

/** @returns {string} Four random hex digits. */
function hexGroup() {
  return Math.floor(Math.random() * 0x10000).toString(16);
}

/**
 * A random client address in the IPv6 documentation range (2001:db8::/32, RFC 3849), with its own
 * random /64 prefix: services often count IPv6 clients per /64, so addresses that share one would
 * share a budget. 2^32 prefixes: two runs within the hour-long per-IP window practically never meet.
 *
 * @returns {string} e.g. `2001:db8:1a2b:3c4d::5e6f`
 */
export function randomClientIp() {
  return `2001:db8:${hexGroup()}:${hexGroup()}::${hexGroup()}`;
}
