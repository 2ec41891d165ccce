import { randomBytes } from 'node:crypto';
import { AppConfigError } from '@tses/app-runtime';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/index.js';

const valid = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:5432/test',
  JOB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

/** The problems `loadWorkerConfig` names for `env`, `NAME: why` (none when it is valid). */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadWorkerConfig(env);
    return [];
  } catch (error) {
    if (error instanceof AppConfigError) return error.problems;
    throw error;
  }
}

describe('loadWorkerConfig', () => {
  it('applies the defaults', () => {
    expect(loadWorkerConfig(valid)).toMatchObject({
      EMAIL_TRANSPORT: 'console',
      EMAIL_FROM: 'TSES Auth <no-reply@localhost>',
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: 5,
      WORKER_SHUTDOWN_TIMEOUT_MS: 10_000,
      QUEUE_PREFIX: 'tses',
      NODE_ENV: 'development',
    });
  });

  it('uses SMTP when SMTP_URL is set, and requires SMTP_URL when EMAIL_TRANSPORT=smtp', () => {
    const withUrl = loadWorkerConfig({ ...valid, SMTP_URL: 'smtp://127.0.0.1:1025' });
    expect(withUrl).toMatchObject({
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      EMAIL_FROM: 'TSES Auth <no-reply@localhost>',
    });
    const forcedConsole = loadWorkerConfig({ ...valid, SMTP_URL: 'smtp://x:1', EMAIL_TRANSPORT: 'console' });
    expect(forcedConsole.EMAIL_TRANSPORT).toBe('console');
    expect(problems({ ...valid, EMAIL_TRANSPORT: 'smtp' })).toEqual([
      'SMTP_URL: is required when EMAIL_TRANSPORT=smtp',
    ]);
  });

  it('reads a Redis Cluster from REDIS_CLUSTER_NODES instead of REDIS_URL, with its credentials', () => {
    const { REDIS_URL, ...rest } = valid;
    expect(loadWorkerConfig(valid).redis).toEqual({ kind: 'standalone', url: REDIS_URL });
    const config = loadWorkerConfig({
      ...rest,
      REDIS_CLUSTER_NODES: 'redis-0:6379, redis-1:6379',
      REDIS_CLUSTER_USERNAME: 'tses-worker',
      REDIS_CLUSTER_PASSWORD: 'pw',
      REDIS_CLUSTER_TLS: 'true',
    });
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-0', port: 6379 },
        { host: 'redis-1', port: 6379 },
      ],
      username: 'tses-worker',
      password: 'pw',
      tls: true,
    });
    expect(problems(rest)).toEqual([
      'REDIS_URL: is required (the Redis server of the job queues, e.g. redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES for a Redis Cluster',
    ]);
    expect(problems({ ...valid, REDIS_CLUSTER_NODES: 'redis-0:6379' })).toEqual([
      'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL: set REDIS_URL for one Redis server or REDIS_CLUSTER_NODES for a Redis Cluster',
    ]);
  });

  it('names every missing or invalid variable (empty counts as missing) and never echoes a value', () => {
    const env = {
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      REDIS_URL: '',
      JOB_ENCRYPTION_KEY: 'too-short-key',
      EMAIL_TRANSPORT: 'pigeon',
      WORKER_CONCURRENCY: '0',
      LOG_LEVEL: 'loud',
    };
    const text = problems(env).join('\n');
    for (const name of [
      'REDIS_URL: is required',
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      'JOB_ENCRYPTION_KEY: must be 32 bytes',
      'EMAIL_TRANSPORT: must be "console" or "smtp"',
      'WORKER_CONCURRENCY: must be a whole number from 1 to 100',
      'LOG_LEVEL: must be one of',
    ]) {
      expect(text).toContain(name);
    }
    let message = '';
    try {
      loadWorkerConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('too-short-key');
  });
});
