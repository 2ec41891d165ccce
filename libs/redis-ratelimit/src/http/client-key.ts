import { normalizeIp } from '@tses/core';
import { RateLimitKeyError } from '../lib/errors.js';

/**
 * The default client key: the IP the framework resolved, normalised so one client is one key
 * (IPv4-mapped IPv6 as IPv4, IPv6 by network, since one subscriber usually holds a whole /64).
 * No IP (a closed socket, a runtime without connection info) is a fault, not an empty key.
 */
export function ipKey(ip: string | undefined, ipv6PrefixLength: number): string {
  if (ip === undefined || ip === '') {
    throw new RateLimitKeyError(
      'The framework resolved no client IP for this request; give a `key` function.',
    );
  }
  const normalized = normalizeIp(ip, ipv6PrefixLength);
  if (!normalized.ok) throw new RateLimitKeyError(`The client IP is unusable: ${normalized.message}`);
  return `ip:${normalized.key}`;
}

/** Runs the user's `key` function; a throw or an empty answer becomes a {@link RateLimitKeyError}. */
export async function userKey<Req>(key: (req: Req) => string | Promise<string>, req: Req): Promise<string> {
  let value: unknown;
  try {
    value = await key(req);
  } catch (error) {
    throw new RateLimitKeyError('The `key` function threw; the request was not counted.', { cause: error });
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new RateLimitKeyError(
      `The \`key\` function returned ${typeof value === 'string' ? 'an empty string' : String(value)}; a key must be a non-empty string, so requests never share a bucket by accident.`,
    );
  }
  return value;
}
