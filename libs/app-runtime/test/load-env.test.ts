import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppConfigError,
  AppError,
  backingServicesEnv,
  integerVariable,
  loadEnv,
  requiredVariable,
  runtimeEnv,
  urlVariable,
} from '../src/index.js';

const schema = z.object({
  ...runtimeEnv,
  ...backingServicesEnv,
  REDIS_URL: requiredVariable(backingServicesEnv.REDIS_URL, 'the job queues'),
  SMTP_URL: urlVariable(['smtp:', 'smtps:']),
  PORT: integerVariable(0, 65_535).default(3000),
});

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadEnv(schema, env);
    return [];
  } catch (error) {
    if (error instanceof AppConfigError) return error.problems;
    throw error;
  }
}

describe('loadEnv', () => {
  it('returns the values under their variable names, defaults applied; blank counts as unset', () => {
    expect(loadEnv(schema, { REDIS_URL: 'redis://127.0.0.1:6379', PORT: ' ', LOG_LEVEL: '' })).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
    });
  });

  it('names every problem at once as `NAME: why`, and never repeats a value', () => {
    const found = problems({
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      SMTP_URL: 'smtp',
      PORT: '-1',
      NODE_ENV: 'staging',
      LOG_LEVEL: 'loud',
    });
    expect([...found].sort()).toEqual(
      [
        'DATABASE_URL: must be a postgres:// or postgresql:// URL',
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        'NODE_ENV: must be development, test or production',
        'PORT: must be a whole number from 0 to 65535',
        'REDIS_URL: is required (the job queues)',
        'SMTP_URL: must be a smtp:// or smtps:// URL',
      ].sort(),
    );
    expect(found.join('\n')).not.toMatch(/hunter2|staging|loud/);
  });

  it('throws AppConfigError: the error recipe of every @tses package', () => {
    let error: unknown;
    try {
      loadEnv(schema, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppConfigError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      name: 'AppConfigError',
      code: 'ERR_APP_CONFIG',
      problems: ['REDIS_URL: is required (the job queues)'],
      message: 'Invalid environment configuration:\n  - REDIS_URL: is required (the job queues)',
    });
    expect(AppConfigError.code).toBe('ERR_APP_CONFIG');
    expect(AppError.code).toBe('ERR_APP');
  });
});
