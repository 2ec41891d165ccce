// Fastify's per-route scope: `config.rateLimit` gives a route its own rules over the plugin's
// options, `false` exempts a route, and `global: false` limits only the routes that ask.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit } from '@tses/redis-ratelimit/fastify';
import { connectRedis } from '../support/services.js';
import { members } from './contract.js';

describe('Fastify plugin: per-route rules (standalone Redis)', () => {
  const redis = connectRedis();
  const apps: ReturnType<typeof Fastify>[] = [];
  const start = async (global: boolean) => {
    const app = Fastify();
    await app.register(rateLimit, {
      redis,
      keyPrefix: `test:${randomUUID()}:`,
      failureMode: 'throw',
      global,
      rules: { name: 'api', limit: 3, windowMs: 60_000 },
    });
    app.get('/plain', async () => 'plain');
    app.get('/health', { config: { rateLimit: false } }, async () => 'ok');
    app.post(
      '/login',
      { config: { rateLimit: { rules: { name: 'login', limit: 1, windowMs: 600_000 } } } },
      async (request) => ({
        policy: request.rateLimit?.policies[0]?.rule.name,
      }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };
  let globalUrl: string;
  let scopedUrl: string;
  beforeAll(async () => {
    globalUrl = await start(true);
    scopedUrl = await start(false);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    redis.disconnect();
  });

  const statuses = async (url: string, method = 'GET', n = 4) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await fetch(url, { method })).status);
    return out;
  };

  it('global: every route under the plugin rules, a route config replaces them, `false` exempts', async () => {
    expect(await statuses(`${globalUrl}/plain`)).toEqual([200, 200, 200, 429]);
    expect(await statuses(`${globalUrl}/health`)).toEqual([200, 200, 200, 200]);
    const login = await fetch(`${globalUrl}/login`, { method: 'POST' });
    expect(await login.json()).toEqual({ policy: 'login' });
    expect([...members(login.headers.get('ratelimit-policy')).keys()]).toEqual(['login']);
    expect((await fetch(`${globalUrl}/login`, { method: 'POST' })).status).toBe(429);
  });

  it('global: false: only the route that asks is limited', async () => {
    expect(await statuses(`${scopedUrl}/plain`)).toEqual([200, 200, 200, 200]);
    expect(await statuses(`${scopedUrl}/login`, 'POST', 2)).toEqual([200, 429]);
  });
});
