import { Otp, type OtpSettings, type OtpStore } from '@tses/otp';
import { RateLimiter, type RateLimitStore } from '@tses/redis-ratelimit';
import type { RedisConnection } from '@tses/jobs';
import type { Logger } from 'pino';
import type { AppDeps, AppSettings } from '../app-deps.js';
import { createVerifyIpLimit } from '../limits/verify-ip-limit.js';
import { createIpPseudonym } from '../redis-keys/ip-pseudonym.js';
import type { KeyLayout } from '../redis-keys/key-layout.js';
import { JwtTokenService } from '../tokens/jwt-token-service.js';
import type { SessionStore } from '../tokens/session-store.js';
import type { SigningKeys } from '../tokens/signing-keys.js';

/** JWT issuer, audience and lifetimes (`JWT_ISSUER`, `JWT_AUDIENCE`, `*_TOKEN_TTL_SECONDS`). */
export interface JwtSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

/** What both run modes are configured with: logger, settings, secrets, token settings. */
export interface ServiceOptions {
  readonly logger: Logger;
  readonly settings: AppSettings;
  /** `OTP_SECRET`: keys the code hashes and every pseudonym in a Redis key name. */
  readonly otpSecret: string;
  readonly otpSettings?: Partial<OtpSettings>;
  readonly signingKeys: SigningKeys;
  readonly jwt: JwtSettings;
}

/** Where one run mode keeps the services' state. */
export interface ServiceStores {
  /** Rate-limit windows: an ioredis client (one server or a Cluster), or another store (`MemoryStore`). */
  readonly limits: { readonly redis: RedisConnection } | { readonly store: RateLimitStore };
  readonly otp: OtpStore;
  readonly sessions: SessionStore;
  /** Key prefixes per concern (`keyLayout`). */
  readonly keys: KeyLayout;
}

/**
 * The OTP service, the per-IP verification limit and the token service, wired the same way in
 * both run modes: only the stores differ. One limiter serves both limits and adds no prefix:
 * `Otp` names its request windows itself under `keys.otp`, the verify limit under `keys.limits`.
 *
 * @param options - Settings and secrets.
 * @param stores - The mode's stores and key layout.
 * @returns The services `AppDeps` takes.
 * @throws OtpConfigError when the OTP secret is under 32 bytes or a setting is out of range.
 */
export function buildAuthServices(
  options: ServiceOptions,
  stores: ServiceStores,
): Pick<AppDeps, 'otp' | 'verifyIpLimit' | 'tokens'> {
  const limiter = new RateLimiter({
    ...stores.limits,
    failureMode: 'throw',
    keyPrefix: '',
    timeoutMs: 1_000,
  });
  const otp = new Otp({
    serverSecret: options.otpSecret,
    store: stores.otp,
    limiter,
    keyPrefix: stores.keys.otp,
    ...(options.otpSettings === undefined ? {} : { settings: options.otpSettings }),
  });
  const verifyIpLimit = createVerifyIpLimit({
    limiter,
    rule: options.settings.verifyIpRule,
    keyPrefix: stores.keys.limits,
    ipPseudonym: createIpPseudonym({
      secret: options.otpSecret,
      ipv6PrefixLength: otp.settings.ipv6PrefixLength,
    }),
  });
  const tokens = new JwtTokenService({
    keys: options.signingKeys,
    sessions: stores.sessions,
    ...options.jwt,
  });
  return { otp, verifyIpLimit, tokens };
}
