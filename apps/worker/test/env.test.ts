import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '../src/index.js';

const valid = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:5432/test',
  JOB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

describe('parseWorkerEnv', () => {
  it('applies the defaults', () => {
    const result = parseWorkerEnv(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      email: { transport: 'console', from: 'TSES Auth <no-reply@localhost>' },
      logLevel: 'info',
      concurrency: 5,
      shutdownTimeoutMs: 10_000,
      queuePrefix: 'tses',
      nodeEnv: 'development',
    });
  });

  it('uses SMTP when SMTP_URL is set, and requires SMTP_URL when EMAIL_TRANSPORT=smtp', () => {
    const withUrl = parseWorkerEnv({ ...valid, SMTP_URL: 'smtp://127.0.0.1:1025' });
    expect(withUrl.ok && withUrl.config.email).toEqual({
      transport: 'smtp',
      smtpUrl: 'smtp://127.0.0.1:1025',
      from: 'TSES Auth <no-reply@localhost>',
    });
    const forcedConsole = parseWorkerEnv({ ...valid, SMTP_URL: 'smtp://x:1', EMAIL_TRANSPORT: 'console' });
    expect(forcedConsole.ok && forcedConsole.config.email.transport).toBe('console');
    const missing = parseWorkerEnv({ ...valid, EMAIL_TRANSPORT: 'smtp' });
    expect(!missing.ok && missing.error.issues).toEqual(['SMTP_URL is required when EMAIL_TRANSPORT=smtp']);
  });

  it('names every missing or invalid variable (empty counts as missing) and never echoes a value', () => {
    const result = parseWorkerEnv({
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      REDIS_URL: '',
      JOB_ENCRYPTION_KEY: 'too-short-key',
      EMAIL_TRANSPORT: 'pigeon',
      WORKER_CONCURRENCY: '0',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.error.issues.join('\n');
    for (const name of [
      'REDIS_URL is required',
      'DATABASE_URL is invalid',
      'JOB_ENCRYPTION_KEY is invalid',
      'EMAIL_TRANSPORT is invalid',
      'WORKER_CONCURRENCY is invalid',
      'LOG_LEVEL is invalid',
    ]) {
      expect(text).toContain(name);
    }
    expect(result.error.message).not.toContain('hunter2');
    expect(result.error.message).not.toContain('too-short-key');
  });
});
