import { OtpConfigError } from '../errors.js';
import type { OtpSubjectKeys } from '../store.js';

/** The default prefix of every key `@tses/otp` names. */
export const DEFAULT_KEY_PREFIX = 'otp:';

/** Refuses prefixes that would break Redis Cluster hash tags. */
export function validateKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new OtpConfigError(`keyPrefix must be a string without '{' or '}'; got ${JSON.stringify(prefix)}.`);
  }
  return prefix;
}

/**
 * One email's keys. The hash tag `{e:<id>}` makes Redis Cluster hash only the pseudonym, so the
 * code, counters, lock and the email's request counter all live in one slot.
 */
export function emailKeys(prefix: string, id: string): OtpSubjectKeys & { readonly requests: string } {
  const base = `${prefix}{e:${id}}`;
  return Object.freeze({
    code: `${base}:code`,
    failures: `${base}:fail`,
    longFailures: `${base}:fail:long`,
    lock: `${base}:lock`,
    requests: `${base}:req`,
  });
}

/** The request counter of one IP (or IPv6 network); its own hash tag, so it may sit on another slot. */
export function ipRequestKey(prefix: string, id: string): string {
  return `${prefix}{i:${id}}:req`;
}
