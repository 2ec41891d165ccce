/**
 * The API and the worker read the variables they share through one loader (`@tses/app-runtime`)
 * and the job system's definitions (`@tses/jobs`): the same environment must resolve the same way
 * in both, so an API and a worker started from one `.env` agree on where the emails go.
 */
import { loadConfig } from '@tses/auth-service';
import { loadWorkerConfig } from '@tses/worker';
import { describe, expect, it } from 'vitest';

const SECRET = 'x'.repeat(32);
const FULL = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  JWT_SECRET: SECRET,
  OTP_SECRET: SECRET,
  JOB_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('the environment both apps read', () => {
  it('resolves EMAIL_TRANSPORT exactly as the worker does: smtp when SMTP_URL is set, else console', () => {
    const cases: Record<string, string>[] = [
      {},
      { SMTP_URL: 'smtp://mail:1025' },
      { SMTP_URL: 'smtp://mail:1025', EMAIL_TRANSPORT: 'console' },
      { SMTP_URL: 'smtp://mail:1025', EMAIL_TRANSPORT: '' },
      { SMTP_URL: '', EMAIL_TRANSPORT: '' },
      { EMAIL_TRANSPORT: 'console' },
    ];
    const resolved = cases.map((env) => ({
      env,
      api: loadConfig({ ...FULL, ...env }).EMAIL_TRANSPORT,
      worker: loadWorkerConfig({ ...FULL, ...env }).EMAIL_TRANSPORT,
    }));
    for (const { env, api, worker } of resolved) expect(api, JSON.stringify(env)).toBe(worker);
    expect(resolved.map((r) => r.api)).toEqual(['console', 'smtp', 'console', 'smtp', 'console', 'console']);
  });

  it('parses the shared variables to the same values, under the same names', () => {
    const env = { ...FULL, QUEUE_PREFIX: 'shared', LOG_LEVEL: 'warn', NODE_ENV: 'test', EMAIL_FROM: 'a@b.c' };
    const api = loadConfig(env);
    const worker = loadWorkerConfig(env);
    for (const name of [
      'REDIS_URL',
      'DATABASE_URL',
      'QUEUE_PREFIX',
      'LOG_LEVEL',
      'NODE_ENV',
      'EMAIL_FROM',
    ] as const) {
      expect(api[name], name).toBe(worker[name]);
    }
    expect(api.JOB_ENCRYPTION_KEY?.export().equals(worker.JOB_ENCRYPTION_KEY.export())).toBe(true);
  });
});
