import { describe, expect, it } from 'vitest';
import { normalizeIp } from '../src/index.js';

const key = (ip: string, prefix?: number) => {
  const r = normalizeIp(ip, prefix);
  if (!r.ok) throw new Error(r.message);
  return r.key;
};

describe('normalizeIp', () => {
  it('keeps IPv4 as is', () => {
    expect(normalizeIp('203.0.113.7')).toEqual({ ok: true, version: 4, key: '203.0.113.7' });
    expect(key(' 203.0.113.7 ')).toBe('203.0.113.7');
  });

  it('turns IPv4-mapped IPv6 into IPv4, in every spelling', () => {
    for (const ip of [
      '::ffff:192.0.2.1',
      '::FFFF:192.0.2.1',
      '::ffff:c000:201',
      '0:0:0:0:0:ffff:c000:0201',
    ]) {
      expect(normalizeIp(ip)).toEqual({ ok: true, version: 4, key: '192.0.2.1' });
    }
  });

  it('groups IPv6 by /64 by default', () => {
    const expected = '2001:db8:1:2:0:0:0:0/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:DB8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002::',
      '2001:db8:1:2::1%eth0',
    ]) {
      expect(key(ip)).toBe(expected);
    }
    expect(key('2001:db8:1:3::1')).not.toBe(expected);
    expect(key('::1')).toBe('0:0:0:0:0:0:0:0/64');
    expect(key('::')).toBe('0:0:0:0:0:0:0:0/64');
    expect(key('fe80::1:2:3:4')).toBe('fe80:0:0:0:0:0:0:0/64');
  });

  it('applies other prefix lengths, including ones inside a group', () => {
    expect(key('2001:db8:abcd:1234::1', 48)).toBe('2001:db8:abcd:0:0:0:0:0/48');
    expect(key('2001:db8:abcd:12ff::1', 56)).toBe('2001:db8:abcd:1200:0:0:0:0/56');
    expect(key('2001:db8::1', 128)).toBe('2001:db8:0:0:0:0:0:1/128');
    expect(key('ffff::', 1)).toBe('8000:0:0:0:0:0:0:0/1');
  });

  it('keeps IPv4-compatible and embedded-IPv4 forms that are not mapped as IPv6', () => {
    expect(key('64:ff9b::192.0.2.1', 128)).toBe('64:ff9b:0:0:0:0:c000:201/128');
  });

  it.each([
    '',
    'localhost',
    '999.1.1.1',
    '1.2.3',
    '01.2.3.4',
    '1.2.3.4.5',
    '2001:db8::1::1',
    ':::',
    'gggg::1',
    '1.2.3.4/24',
  ])('rejects %j', (ip) => {
    expect(normalizeIp(ip)).toMatchObject({ ok: false });
  });

  it('rejects a non-string', () => {
    expect(normalizeIp(undefined as unknown as string)).toMatchObject({ ok: false });
  });
});
