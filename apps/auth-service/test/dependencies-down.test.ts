// Redis or PostgreSQL going down: every route that needs it answers 503 problem+json, fast,
// /readyz says which, and the service recovers when the dependency is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';

describe('backing services down (full mode)', () => {
  let h: FullHarness;
  let redisProxy: TcpProxy;
  let pgProxy: TcpProxy;
  let tokens: { access: string; refresh: string };

  beforeAll(async () => {
    const urls = testServiceUrls();
    redisProxy = await TcpProxy.start(urls.redisUrl, 6379);
    pgProxy = await TcpProxy.start(urls.databaseUrl, 5432);
    h = await startFullHarness({
      redisUrl: redisProxy.rewrite(urls.redisUrl),
      databaseUrl: pgProxy.rewrite(urls.databaseUrl),
      adminEmails: ['down.admin@example.com'],
    });
    tokens = await h.signIn('down.admin@example.com');
  });
  afterAll(async () => {
    await redisProxy.resume().catch(() => {});
    await pgProxy.resume().catch(() => {});
    await h.close();
    await redisProxy.stop();
    await pgProxy.stop();
  });

  function expect503(response: { status: number; headers: Headers; body: { type: string; detail: string } }) {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Redis|PostgreSQL|stack/i);
  }

  it('ready while both answer', async () => {
    const ready = await h.client.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { redis: 'up', postgres: 'up' } });
  });

  it('Redis down → 503 on every route that needs it, within the limiter timeout', async () => {
    await redisProxy.stop();
    const started = performance.now();
    expect503(await h.client.post(REQUEST, { email: 'r@example.com' }));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect503(await h.client.post(VERIFY, { email: 'r@example.com', otp: '123456' }));
    expect503(await h.client.post('/api/v1/auth/token/refresh', { refresh: tokens.refresh }));
    expect503(await h.client.get('/api/v1/auth/me', { token: tokens.access }));
    expect503(await h.client.get('/api/v1/auth/status', { token: tokens.access }));
    const ready = await h.client.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ redis: 'down', postgres: 'up' });
    expect((await h.client.get('/healthz')).status).toBe(200); // liveness does not depend on Redis
  });

  it('recovers when Redis is back', async () => {
    await redisProxy.resume();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await h.client.get('/readyz')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    expect((await h.client.get('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
  });

  it('PostgreSQL down → 503 on verify, me and audit logs; readyz names it', async () => {
    await h.client.post(REQUEST, { email: 'pg@example.com' });
    const code = await h.mailbox.waitForCode('pg@example.com');
    await pgProxy.stop();
    expect503(await h.client.post(VERIFY, { email: 'pg@example.com', otp: code }));
    expect503(await h.client.get('/api/v1/auth/me', { token: tokens.access }));
    expect503(await h.client.get('/api/v1/audit/logs', { token: tokens.access }));
    const ready = await h.client.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ redis: 'up', postgres: 'down' });
    // Routes that only need Redis keep working.
    expect((await h.client.post(REQUEST, { email: 'still.works@example.com' })).status).toBe(202);
  });
});
