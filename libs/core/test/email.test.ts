import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../src/index.js';

const ok = (email: string) => ({ ok: true, email });

describe('normalizeEmail', () => {
  it('trims, lower-cases and applies NFKC', () => {
    expect(normalizeEmail(' User@Example.COM')).toEqual(ok('user@example.com'));
    expect(normalizeEmail('\tuser@example.com \n')).toEqual(ok('user@example.com'));
    expect(normalizeEmail('ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toEqual(ok('user@example.com')); // fullwidth forms
    expect(normalizeEmail('\u212Aate@example.com')).toEqual(ok('kate@example.com')); // KELVIN SIGN
    expect(normalizeEmail('JOSÉ@Exämple.de')).toEqual(ok('josé@exämple.de'));
    expect(normalizeEmail('jose\u0301@example.de')).toEqual(ok('josé@example.de')); // composed
  });

  it('is a fixed point: normalising a normalised address changes nothing', () => {
    for (const input of [
      ' User@Example.COM',
      'ẞtraße@example.de',
      'ǅemal@example.com',
      'Ⅻ@example.com',
      'ΣΊΣΥΦΟΣ@example.gr',
    ]) {
      const first = normalizeEmail(input);
      if (!first.ok) continue;
      expect(normalizeEmail(first.email)).toEqual(first);
    }
  });

  it('keeps the exported shape that @tses/audit relies on', () => {
    expect(Object.keys(normalizeEmail('a@example.com')).sort()).toEqual(['email', 'ok']);
    expect(Object.keys(normalizeEmail('x')).sort()).toEqual(['message', 'ok', 'problem']);
  });

  it('rejects empty input', () => {
    expect(normalizeEmail('')).toMatchObject({ ok: false, problem: 'empty' });
    expect(normalizeEmail('   ')).toMatchObject({ ok: false, problem: 'empty' });
  });

  it.each([
    ['zero-width space', 'a\u200b@example.com'],
    ['zero-width joiner', 'a\u200d@example.com'],
    ['right-to-left override', 'a\u202e@example.com'],
    ['soft hyphen', 'a\u00ad@example.com'],
    ['BOM inside', 'a\ufeffb@example.com'],
    ['NUL', 'a\u0000@example.com'],
    ['newline inside', 'a\nb@example.com'],
    ['C1 control', 'a\u0085b@example.com'],
    ['line separator', 'a\u2028@example.com'],
    ['Hangul filler', 'a\u3164@example.com'],
    ['halfwidth Hangul filler', 'a\uffa0@example.com'],
    ['variation selector', 'a\ufe0f@example.com'],
    ['word joiner', 'a\u2060@example.com'],
  ])('rejects %s', (_name, input) => {
    expect(normalizeEmail(input)).toMatchObject({ ok: false, problem: 'invalid_characters' });
  });

  it.each([
    'plainaddress',
    '@example.com',
    'user@',
    'user@example',
    'user@@example.com',
    'a@b@example.com',
    'user name@example.com',
    'user@exam ple.com',
    '.user@example.com',
    'user.@example.com',
    'us..er@example.com',
    'user@-example.com',
    'user@example-.com',
    'user@example..com',
    'user@example.com.',
    'user@example.c',
    'user@example.123',
    'user@[192.0.2.1]',
    '"quoted"@example.com',
    'user@exa_mple.com',
    'a'.repeat(65) + '@example.com',
    'user@' + 'a'.repeat(64) + '.com',
  ])('rejects the malformed %s', (input) => {
    expect(normalizeEmail(input)).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('accepts the usual shapes', () => {
    for (const email of [
      'a@example.com',
      'first.last+tag@sub.example.co.uk',
      "o'brien@example.ie",
      'user_name-1@example-domain.io',
      'a'.repeat(64) + '@example.com',
      'user@' + 'a'.repeat(63) + '.com',
      'user@example.xn--p1ai',
      'пользователь@пример.рф',
      '用户@例子.广告',
    ]) {
      expect(normalizeEmail(email), email).toEqual(ok(email));
    }
  });

  it('limits length in UTF-8 octets (RFC 5321 §4.5.3.1)', () => {
    const domain = '@' + Array.from({ length: 4 }, () => 'a'.repeat(60)).join('.') + '.com'; // 248 chars
    expect(normalizeEmail('abcdef' + domain)).toEqual(ok('abcdef' + domain)); // 254 octets
    expect(normalizeEmail('abcdefg' + domain)).toMatchObject({ ok: false, problem: 'too_long' });
    expect(normalizeEmail('é' + 'abcde' + domain)).toMatchObject({ ok: false, problem: 'too_long' }); // 254 chars, 255 octets
    // 32 Cyrillic letters: 32 characters, 64 octets (the local-part maximum); one more is too long.
    expect(normalizeEmail('д'.repeat(32) + '@example.com').ok).toBe(true);
    expect(normalizeEmail('д'.repeat(33) + '@example.com')).toMatchObject({
      ok: false,
      problem: 'malformed',
    });
  });
});
