import { OtpConfigError } from '../errors.js';
import { OTP_DEFAULTS, type OtpSettings } from '../settings.js';

// Redis PEXPIRE takes a 64-bit integer, but durations beyond a year are a configuration mistake.
const MAX_DURATION_MS = 366 * 24 * 60 * 60_000;

/** Merges partial settings over the defaults and refuses anything out of range. */
export function resolveSettings(partial: Partial<OtpSettings> = {}): OtpSettings {
  const settings: OtpSettings = { ...OTP_DEFAULTS, ...stripUndefined(partial) };
  const integer = (name: keyof OtpSettings, min: number, max: number) => {
    const value = settings[name];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new OtpConfigError(`settings.${name} must be an integer from ${min} to ${max}; got ${value}.`);
    }
  };
  integer('codeLength', 4, 10);
  integer('emailRequestLimit', 1, 1_000_000);
  integer('ipRequestLimit', 1, 1_000_000);
  integer('maxFailures', 1, 1_000_000);
  integer('longMaxFailures', 0, 1_000_000);
  integer('ipv6PrefixLength', 1, 128);
  for (const name of [
    'codeTtlMs',
    'emailRequestWindowMs',
    'ipRequestWindowMs',
    'failureWindowMs',
    'lockMs',
    'longFailureWindowMs',
    'longLockMs',
    'claimLeaseMs',
  ] as const) {
    integer(name, 1, MAX_DURATION_MS);
  }
  return Object.freeze(settings);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
