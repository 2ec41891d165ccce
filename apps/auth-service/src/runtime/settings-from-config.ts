import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { OtpSettings } from '@tses/otp';
import type { Logger } from 'pino';
import type { AppSettings } from '../app-deps.js';
import type { Config } from '../config.js';
import { VERIFY_IP_POLICY } from '../limits/verify-ip-limit.js';
import type { JwtSettings } from './auth-services.js';

const HOUR = 3_600_000;

/** This package's version, shown in the OpenAPI document. */
export const SERVICE_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/**
 * The route settings from the configuration.
 *
 * @param config - The validated configuration.
 * @returns The app settings.
 */
export function appSettingsFrom(config: Config): AppSettings {
  return {
    adminEmails: config.adminEmails,
    trustProxyHops: config.TRUST_PROXY,
    verifyIpRule: { name: VERIFY_IP_POLICY, limit: config.VERIFY_REQUESTS_PER_IP, windowMs: HOUR / 4 },
    version: SERVICE_VERSION,
  };
}

/**
 * The OTP limits from the configuration (the rest are `@tses/otp`'s defaults).
 *
 * @param config - The validated configuration.
 * @returns Overrides for `new Otp({ settings })`.
 */
export function otpSettingsFrom(config: Config): Partial<OtpSettings> {
  return { emailRequestLimit: config.OTP_REQUESTS_PER_EMAIL, ipRequestLimit: config.OTP_REQUESTS_PER_IP };
}

/**
 * JWT issuer, audience and lifetimes from the configuration.
 *
 * @param config - The validated configuration.
 * @returns The `jwt` options of the deps builders.
 */
export function jwtSettingsFrom(config: Config): JwtSettings {
  return {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  };
}

/**
 * A secret from the configuration, or (embedded mode only) a random one for this process, with
 * a warning: tokens and codes then die with the process, which embedded mode accepts anyway.
 *
 * @param value - The configured value.
 * @param name - The variable name, for the warning.
 * @param logger - Where to warn.
 * @returns The secret.
 */
export function secretOrEphemeral(value: string | undefined, name: string, logger: Logger): string {
  if (value !== undefined) return value;
  logger.warn(`${name} is not set: using a random value for this process only`);
  return randomBytes(48).toString('base64');
}
