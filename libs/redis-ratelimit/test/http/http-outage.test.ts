// Redis stopped under a live app (a private redis-server, never the shared one): each failure
// mode answers within the deadline, through the framework's error path for `throw`, and every
// fault reaches `onError` typed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureMode } from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../../scripts/test-support/private-redis.mjs';
import { connectRedis } from '../support/services.js';
import { hit } from './contract.js';
import { FRAMEWORKS, type Served } from './frameworks.js';

const TIMEOUT = 300;
// Generous slack for two shared cores; the point is "bounded by the deadline", not "instant".
const SLACK = 500;

describe.each(FRAMEWORKS)('HTTP middleware with Redis stopped, $name', (framework) => {
  let server: PrivateRedis;
  let redis: ReturnType<typeof connectRedis>;
  const apps = new Map<FailureMode, Served>();
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = connectRedis(server.url);
    const rules = { name: 'api', limit: 100, windowMs: 60_000 };
    for (const failureMode of ['throw', 'allow', 'deny'] as const) {
      const options = { redis, keyPrefix: `test:${randomUUID()}:`, timeoutMs: TIMEOUT, failureMode, rules };
      apps.set(failureMode, await framework.serve([{ ...options, onError: (e) => errors.push(e) }]));
    }
  });
  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()));
    redis.disconnect();
    await server.stop();
  });

  it('counts while Redis is up, then throw → error path, allow → 200, deny → 429, each within the deadline', async () => {
    for (const app of apps.values()) expect((await hit(app.url)).status).toBe(200);
    expect(errors).toEqual([]);
    await server.stop();

    const timed = async (mode: FailureMode) => {
      const started = performance.now();
      const answer = await hit(apps.get(mode)!.url);
      return { ...answer, ms: performance.now() - started };
    };
    const thrown = await timed('throw');
    expect(thrown.status).toBe(503);
    expect(thrown.body.code).toMatch(/^ERR_RATELIMIT_(UNAVAILABLE|TIMEOUT)$/);
    expect(thrown.ms).toBeLessThan(TIMEOUT + SLACK);

    const allowed = await timed('allow');
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ counted: true, allowed: true });
    expect(allowed.body.error).toMatch(/^ERR_RATELIMIT_(UNAVAILABLE|TIMEOUT)$/);
    expect(allowed.headers.get('ratelimit')).toBeNull(); // no state was read: none is reported
    expect(allowed.ms).toBeLessThan(TIMEOUT + SLACK);

    const denied = await timed('deny');
    expect(denied.status).toBe(429);
    expect(denied.type).toMatch(/^application\/problem\+json/);
    expect(denied.body).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'The rate limiter is unavailable; retry in 60 s.',
      retry_after: 60,
      policy: 'api',
    });
    expect(denied.headers.get('retry-after')).toBe('60');
    expect(denied.ms).toBeLessThan(TIMEOUT + SLACK);

    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error.name).toMatch(/^RateLimit(Unavailable|Timeout)Error$/);
    await server.start();
  });
});
