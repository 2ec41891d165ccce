// Environment validation: clear messages naming each missing or invalid variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

const SECRET = 'x'.repeat(32);
const KEY = Buffer.alloc(32, 7).toString('base64');
const FULL = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  JWT_SECRET: SECRET,
  OTP_SECRET: SECRET,
  JOB_ENCRYPTION_KEY: KEY,
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('embedded mode with no variables at all; full mode with both URLs', () => {
    const embedded = loadConfig({});
    expect(embedded).toMatchObject({
      mode: 'embedded',
      PORT: 3000,
      TRUST_PROXY: 0,
      EMAIL_TRANSPORT: 'console',
    });
    const full = loadConfig({
      ...FULL,
      ADMIN_EMAILS: ' Boss@Example.com , ops@example.com',
      TRUST_PROXY: '2',
    });
    expect(full).toMatchObject({
      mode: 'full',
      TRUST_PROXY: 2,
      adminEmails: ['boss@example.com', 'ops@example.com'],
    });
  });

  it('refuses a JWT_SECRET or OTP_SECRET under 32 bytes, naming it', () => {
    const found = problems({ ...FULL, JWT_SECRET: 'short', OTP_SECRET: 'tiny' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes/),
        expect.stringMatching(/^OTP_SECRET: /),
      ]),
    );
  });

  it('exactly one of REDIS_URL/DATABASE_URL is an error naming the missing one', () => {
    expect(problems({ REDIS_URL: FULL.REDIS_URL })[0]).toMatch(/^DATABASE_URL: is required/);
    expect(problems({ DATABASE_URL: FULL.DATABASE_URL })[0]).toMatch(/^REDIS_URL: is required/);
  });

  it('full mode requires the secrets', () => {
    const found = problems({ REDIS_URL: FULL.REDIS_URL, DATABASE_URL: FULL.DATABASE_URL });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual([
      'JOB_ENCRYPTION_KEY',
      'JWT_SECRET',
      'OTP_SECRET',
    ]);
  });

  it('names every invalid value at once', () => {
    const found = problems({
      ...FULL,
      PORT: 'eighty',
      TRUST_PROXY: '-1',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://nope',
      JOB_ENCRYPTION_KEY: 'abc',
    });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(
      ['JOB_ENCRYPTION_KEY', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'TRUST_PROXY'].sort(),
    );
  });

  it('EMAIL_TRANSPORT=smtp needs SMTP_URL', () => {
    expect(problems({ ...FULL, EMAIL_TRANSPORT: 'smtp' })).toEqual([
      'SMTP_URL: is required when EMAIL_TRANSPORT=smtp',
    ]);
    expect(loadConfig({ ...FULL, EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail:1025' }).SMTP_URL).toBe(
      'smtp://mail:1025',
    );
  });

  it('refuses embedded mode in production, and a half key pair', () => {
    expect(problems({ NODE_ENV: 'production' })[0]).toMatch(
      /REDIS_URL, DATABASE_URL: are required when NODE_ENV=production/,
    );
    expect(problems({ JWT_PRIVATE_KEY: 'pem' })[0]).toMatch(/^JWT_PUBLIC_KEY: /);
  });

  it('rejects an invalid ADMIN_EMAILS entry', () => {
    expect(problems({ ADMIN_EMAILS: 'ok@example.com, not-an-email' })[0]).toMatch(
      /^ADMIN_EMAILS: "not-an-email"/,
    );
  });
});
