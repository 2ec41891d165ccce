import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  guessBudgetPerDay,
  InvalidIpError,
  MemoryOtpStore,
  Otp,
  OTP_DEFAULTS,
  OtpConfigError,
  OtpError,
  OtpStoreError,
  type OtpRequestLimiter,
} from '../src/index.js';
import { VERSION } from '../src/lib/version.js';

const limiter: OtpRequestLimiter = {
  consumeAll: async () => ({ allowed: true, decisions: [], retryAfterMs: 0 }),
};
const make = (options: Partial<ConstructorParameters<typeof Otp>[0]>) =>
  new Otp({ serverSecret: 'x'.repeat(32), store: new MemoryOtpStore(), limiter, ...options });

describe('configuration', () => {
  it('refuses a server secret shorter than 32 bytes', () => {
    expect(() => make({ serverSecret: 'x'.repeat(31) })).toThrow(OtpConfigError);
    expect(() => make({ serverSecret: new Uint8Array(16) })).toThrow(/at least 32 bytes/);
    expect(() => make({ serverSecret: undefined as unknown as string })).toThrow(OtpConfigError);
    expect(() => make({ serverSecret: new Uint8Array(32) })).not.toThrow();
  });

  it('refuses out-of-range settings and brace-bearing prefixes', () => {
    expect(() => make({ settings: { codeLength: 3 } })).toThrow(/codeLength/);
    expect(() => make({ settings: { codeLength: 11 } })).toThrow(OtpConfigError);
    expect(() => make({ settings: { maxFailures: 0 } })).toThrow(OtpConfigError);
    expect(() => make({ settings: { codeTtlMs: 1.5 } })).toThrow(OtpConfigError);
    expect(() => make({ settings: { lockMs: -1 } })).toThrow(OtpConfigError);
    expect(() => make({ settings: { ipv6PrefixLength: 129 } })).toThrow(OtpConfigError);
    expect(() => make({ keyPrefix: 'otp:{x}:' })).toThrow(OtpConfigError);
  });

  it('merges settings over the defaults', () => {
    const otp = make({ settings: { codeTtlMs: 60_000 } });
    expect(otp.settings).toEqual({ ...OTP_DEFAULTS, codeTtlMs: 60_000 });
    expect(Object.isFrozen(otp.settings)).toBe(true);
  });

  it('defaults to the assessment numbers', () => {
    expect(OTP_DEFAULTS).toMatchObject({
      codeLength: 6,
      codeTtlMs: 300_000,
      emailRequestLimit: 3,
      emailRequestWindowMs: 600_000,
      ipRequestLimit: 10,
      ipRequestWindowMs: 3_600_000,
      maxFailures: 5,
      failureWindowMs: 900_000,
    });
  });

  it('documents the guess budget', () => {
    expect(guessBudgetPerDay()).toBe(20);
    expect(guessBudgetPerDay({ ...OTP_DEFAULTS, longMaxFailures: 0 })).toBe(480);
    expect(guessBudgetPerDay()).toBeLessThanOrEqual(100); // NIST SP 800-63B §5.2.2
  });

  it('keeps VERSION equal to package.json (it names the Lua command)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('errors', () => {
  it('form one hierarchy with stable codes, names and causes', () => {
    const cause = new Error('ECONNREFUSED');
    const errors = [
      [new OtpConfigError('c'), 'ERR_OTP_CONFIG', 'OtpConfigError'],
      [new InvalidIpError('i'), 'ERR_OTP_INVALID_IP', 'InvalidIpError'],
      [new OtpStoreError('s', { cause }), 'ERR_OTP_STORE', 'OtpStoreError'],
      [new OtpError('base'), 'ERR_OTP', 'OtpError'],
    ] as const;
    for (const [error, code, name] of errors) {
      expect(error).toBeInstanceOf(OtpError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
    }
    expect(errors[2][0].cause).toBe(cause);
  });

  it('wraps a failing limiter or store in OtpStoreError', async () => {
    const boom = new Error('down');
    const failing = make({ limiter: { consumeAll: () => Promise.reject(boom) } });
    await expect(failing.request({ email: 'a@example.com', ip: '192.0.2.1' })).rejects.toMatchObject({
      code: 'ERR_OTP_STORE',
      cause: boom,
    });
    const store = {
      saveCode: () => Promise.reject(boom),
      verifyCode: () => Promise.reject(boom),
      settleClaim: () => Promise.reject(boom),
    };
    const broken = make({ store });
    await expect(broken.request({ email: 'a@example.com', ip: '192.0.2.1' })).rejects.toBeInstanceOf(
      OtpStoreError,
    );
    await expect(broken.verify({ email: 'a@example.com', otp: '123456' })).rejects.toBeInstanceOf(
      OtpStoreError,
    );
    await expect(
      broken.redeem({ email: 'a@example.com', otp: '123456' }, async () => 'never runs'),
    ).rejects.toBeInstanceOf(OtpStoreError);
  });
});

describe('a custom limiter', () => {
  it('may report no decisions: the rules it says nothing about are left out of rateLimits', async () => {
    const issued = await make({}).request({ email: 'a@example.com', ip: '192.0.2.1' });
    expect(issued).toMatchObject({ status: 'issued', rateLimits: [] });
  });
});
