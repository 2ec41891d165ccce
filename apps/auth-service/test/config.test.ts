// Environment validation: clear messages naming each missing or invalid variable. (That the API
// and the worker resolve the shared variables alike is e2e/test/app-config.test.ts.)
import { AppConfigError } from '@tses/app-runtime';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';

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
    if (error instanceof AppConfigError) return [...error.problems];
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

  it('full mode on a Redis Cluster with REDIS_CLUSTER_NODES instead of REDIS_URL', () => {
    const config = loadConfig({
      ...FULL,
      REDIS_URL: undefined,
      REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2:6379',
      REDIS_CLUSTER_PASSWORD: 'cluster-password',
    });
    expect(config.mode).toBe('full');
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 6379 },
        { host: '10.0.0.2', port: 6379 },
      ],
      password: 'cluster-password',
      tls: false,
    });
    expect(loadConfig(FULL).redis).toEqual({ kind: 'standalone', url: FULL.REDIS_URL });
    expect(loadConfig({}).redis).toBeUndefined();
    expect(problems({ REDIS_CLUSTER_NODES: '10.0.0.1:6379' })).toEqual([
      'DATABASE_URL: is required when REDIS_URL or REDIS_CLUSTER_NODES is set (set Redis and DATABASE_URL for full mode, neither for embedded mode)',
    ]);
  });

  it('a bad REDIS_CLUSTER_NODES, or both ways to Redis, is named with every other problem', () => {
    const bad = { ...FULL, REDIS_URL: undefined, REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2', PORT: 'x' };
    expect(problems(bad).sort()).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; entry 2 is not host:port with a port from 1 to 65535',
    ]);
    expect(problems({ ...FULL, REDIS_CLUSTER_NODES: '10.0.0.1:6379', PORT: 'x' }).sort()).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL: set REDIS_URL for one Redis server or REDIS_CLUSTER_NODES for a Redis Cluster',
    ]);
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

  it('listens on loopback unless told otherwise (containers set HOST=0.0.0.0 themselves)', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('rejects an invalid ADMIN_EMAILS entry', () => {
    expect(problems({ ADMIN_EMAILS: 'ok@example.com, not-an-email' })[0]).toMatch(
      /^ADMIN_EMAILS: "not-an-email"/,
    );
  });

  it('treats an empty variable as unset, as the worker does: every default applies', () => {
    const every = [
      'NODE_ENV',
      'HOST',
      'PORT',
      'LOG_LEVEL',
      'REDIS_URL',
      'REDIS_CLUSTER_NODES',
      'REDIS_CLUSTER_USERNAME',
      'REDIS_CLUSTER_PASSWORD',
      'REDIS_CLUSTER_TLS',
      'DATABASE_URL',
      'JWT_SECRET',
      'JWT_PRIVATE_KEY',
      'JWT_PUBLIC_KEY',
      'JWT_KEY_ID',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'ACCESS_TOKEN_TTL_SECONDS',
      'REFRESH_TOKEN_TTL_SECONDS',
      'OTP_SECRET',
      'OTP_REQUESTS_PER_EMAIL',
      'OTP_REQUESTS_PER_IP',
      'VERIFY_REQUESTS_PER_IP',
      'JOB_ENCRYPTION_KEY',
      'QUEUE_PREFIX',
      'ADMIN_EMAILS',
      'TRUST_PROXY',
      'EMAIL_TRANSPORT',
      'SMTP_URL',
      'EMAIL_FROM',
      'SHUTDOWN_TIMEOUT_MS',
    ];
    const blank = Object.fromEntries(every.map((name, i) => [name, i % 2 === 0 ? '' : '  ']));
    expect(loadConfig(blank)).toEqual(loadConfig({}));
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000); // not port 0
    expect(loadConfig({ ...FULL, NODE_ENV: '', LOG_LEVEL: ' ' })).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
  });

  it('does not read WORKER_CONCURRENCY (only the worker does)', () => {
    expect(loadConfig({ WORKER_CONCURRENCY: 'not a number' })).not.toHaveProperty('WORKER_CONCURRENCY');
  });
});
