import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptOtp,
  encryptOtp,
  JobConfigError,
  OTP_ENVELOPE_PATTERN,
  OtpDecryptionError,
  parseEncryptionKey,
} from '../src/index.js';

const raw = randomBytes(32);
const base64Key = raw.toString('base64');

describe('encryptOtp / decryptOtp (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV each time, and never contains the plain code', () => {
    const a = encryptOtp('123456', 'user@example.com', base64Key);
    const b = encryptOtp('123456', 'user@example.com', base64Key);
    expect(a).toMatch(OTP_ENVELOPE_PATTERN);
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(decryptOtp(a, 'user@example.com', base64Key)).toBe('123456');
  });

  it('binds the email: another recipient cannot decrypt it', () => {
    const envelope = encryptOtp('123456', 'user@example.com', base64Key);
    expect(() => decryptOtp(envelope, 'attacker@example.com', base64Key)).toThrow(OtpDecryptionError);
  });

  it('rejects a wrong key, a flipped byte, and a malformed envelope', () => {
    const envelope = encryptOtp('123456', 'user@example.com', base64Key);
    expect(() => decryptOtp(envelope, 'user@example.com', randomBytes(32).toString('hex'))).toThrow(
      OtpDecryptionError,
    );
    const parts = envelope.split('.');
    const ct = Buffer.from(parts[2]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    const tampered = [parts[0], parts[1], ct.toString('base64url'), parts[3]].join('.');
    expect(() => decryptOtp(tampered, 'user@example.com', base64Key)).toThrow(OtpDecryptionError);
    expect(() => decryptOtp('not-an-envelope', 'user@example.com', base64Key)).toThrow(OtpDecryptionError);
  });
});

describe('parseEncryptionKey', () => {
  it('accepts 32 bytes as base64, base64url (with or without padding) and hex', () => {
    for (const text of [
      base64Key,
      raw.toString('base64url'),
      base64Key.replace(/=$/, ''),
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
    ]) {
      expect(parseEncryptionKey(text).export().equals(raw)).toBe(true);
    }
  });

  it('rejects other lengths and non-key text without echoing the value', () => {
    for (const text of [
      '',
      'secret',
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('hex'),
      'z'.repeat(64),
    ]) {
      let error: unknown;
      try {
        parseEncryptionKey(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JobConfigError);
      if (text) expect((error as Error).message).not.toContain(text);
    }
  });
});
