import { isIP } from 'node:net';

/**
 * The result of {@link normalizeIp}: a value, never an exception.
 *
 * @example
 * ```ts
 * const ip: NormalizedIp = normalizeIp('2001:db8::1');
 * if (ip.ok) console.log(ip.version, ip.key);
 * ```
 */
export type NormalizedIp =
  | { readonly ok: true; readonly version: 4 | 6; readonly key: string }
  | { readonly ok: false; readonly message: string };

/**
 * Reduces a client IP to the identity that rate limits count against: an IPv4 address as is,
 * an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as its IPv4 address, and an IPv6 address as
 * its network of `ipv6PrefixLength` bits. A single IPv6 subscriber usually holds a whole /64
 * (RFC 6177), so counting single addresses would let one client rotate through 2^64 of them.
 *
 * @param ip - The address, as `ctx.ip` or `socket.remoteAddress` gives it (a zone index such as `%eth0` is dropped).
 * @param ipv6PrefixLength - Bits of an IPv6 address that identify a client (default 64, 1–128).
 * @returns `{ ok: true, version, key }` where `key` is canonical (`1.2.3.4`, or `2001:db8:1:2:0:0:0:0/64` for a network), or `{ ok: false, message }`.
 * @example
 * ```ts
 * normalizeIp('::ffff:192.0.2.1')               // { ok: true, version: 4, key: '192.0.2.1' }
 * normalizeIp('2001:db8:1:2:3:4:5:6').key       // '2001:db8:1:2:0:0:0:0/64'
 * normalizeIp('2001:DB8:1:2::ffff').key         // '2001:db8:1:2:0:0:0:0/64'
 * normalizeIp('nope').ok                        // false
 * ```
 */
export function normalizeIp(ip: string, ipv6PrefixLength = 64): NormalizedIp {
  if (typeof ip !== 'string') return { ok: false, message: 'IP address must be a string.' };
  const address = ip.trim().replace(/%[\w.-]+$/, '');
  const version = isIP(address);
  if (version === 4) return { ok: true, version: 4, key: canonicalIpv4(address) };
  if (version !== 6) return { ok: false, message: `Not an IPv4 or IPv6 address: ${JSON.stringify(ip)}.` };

  const groups = expandIpv6(address);
  if (isIpv4Mapped(groups)) {
    const [hi, lo] = [groups[6] ?? 0, groups[7] ?? 0];
    return { ok: true, version: 4, key: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}` };
  }
  const masked = maskGroups(groups, ipv6PrefixLength);
  return { ok: true, version: 6, key: `${masked.map((g) => g.toString(16)).join(':')}/${ipv6PrefixLength}` };
}

// isIP already rejects leading zeros and other spellings, so one address has one text form;
// the round trip through Number is a guard should a wider input form ever be admitted.
function canonicalIpv4(address: string): string {
  return address
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
}

/** Expands any valid IPv6 text form (`::`, embedded IPv4) to eight 16-bit groups. */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function isIpv4Mapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

function maskGroups(groups: readonly number[], prefixLength: number): number[] {
  return groups.map((group, index) => {
    const bitsLeft = prefixLength - index * 16;
    if (bitsLeft >= 16) return group;
    if (bitsLeft <= 0) return 0;
    return group & ((0xffff << (16 - bitsLeft)) & 0xffff);
  });
}
