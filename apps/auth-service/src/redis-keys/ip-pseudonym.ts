import { normalizeIp } from '@tses/core';
import { createSubjectPseudonym } from '@tses/otp';

// HKDF `info` for this service's key names. `@tses/otp` derives its own keys from the same secret
// under other labels, so none of its pseudonyms or code hashes can be computed from these names.
const KEY_NAMES_INFO = '@tses/auth-service key names v1';

/** Options of {@link createIpPseudonym}. */
export interface IpPseudonymOptions {
  /** `OTP_SECRET` (at least 32 bytes; `Otp` refuses shorter ones). */
  readonly secret: string | Uint8Array;
  /** Bits of an IPv6 address that identify one client (default 64, as `@tses/otp`). */
  readonly ipv6PrefixLength?: number;
}

/**
 * Names a client in Redis keys without its address: `@tses/otp`'s subject pseudonym (a 128-bit
 * HMAC, 22 base64url characters) of the address as its `normalizeIp` counts it (an IPv4-mapped
 * address as its IPv4 address, an IPv6 address as its /64), under this service's own HKDF label.
 *
 * @param options - The secret and the IPv6 prefix length.
 * @returns The pseudonym function: one client, one 22-character name.
 * @throws OtpConfigError when the secret is shorter than 32 bytes.
 * @example
 * ```ts
 * const pseudonym = createIpPseudonym({ secret: config.OTP_SECRET });
 * pseudonym('::ffff:192.0.2.1') === pseudonym('192.0.2.1'); // true
 * ```
 */
export function createIpPseudonym(options: IpPseudonymOptions): (clientIp: string) => string {
  const pseudonym = createSubjectPseudonym(options.secret, KEY_NAMES_INFO);
  const prefixLength = options.ipv6PrefixLength ?? 64;
  return function ipPseudonym(clientIp: string): string {
    const ip = normalizeIp(clientIp, prefixLength);
    // Not an address (a socket already closed): still a pseudonym, in a domain of its own.
    return ip.ok ? pseudonym('ip', ip.key) : pseudonym('unparsed', clientIp);
  };
}
