// The packed tarball (with the @tses/core it depends on) installs into fresh projects outside the
// monorepo, each with only the client or the framework it uses (none, ioredis, node-redis, Koa,
// Express, Fastify, Hono): its published types
// compile there under `strict` with `skipLibCheck: false`, and it works against real Redis. Also publint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freshProject,
  packLibrary,
  publintProblems,
  STRICT_CONSUMER_OPTIONS,
  typeErrors,
} from '../../../scripts/test-support/packaging.mjs';
import { redisUrl } from './support/services.js';

const libDir = fileURLToPath(new URL('..', import.meta.url));
const coreDir = fileURLToPath(new URL('../../core', import.meta.url));

const CONSUMER = `
import { Redis } from 'ioredis';
import { RateLimiter, Lockout, MemoryStore, RateLimitError, rateLimitRedisOptions, rateLimitHeaders, VERSION } from '@tses/redis-ratelimit';
import { randomUUID } from 'node:crypto';

const redis = new Redis(process.env.REDIS_URL, { ...rateLimitRedisOptions });
const keyPrefix = 'pack:' + randomUUID() + ':';
const limiter = new RateLimiter({ redis, keyPrefix, failureMode: 'throw', timeoutMs: 2000 });
const rule = { name: 'demo', limit: 2, windowMs: 10000 };
const allowed = [];
for (let i = 0; i < 3; i++) allowed.push((await limiter.consume('k', rule)).allowed);
const denied = await limiter.consume('k', rule);
const lockout = new Lockout({ redis, keyPrefix, failureMode: 'throw' });
const locked = (await lockout.fail('s', { maxFailures: 1, windowMs: 10000 })).locked;
await limiter.reset('k');
await lockout.clear('s');
const memory = await new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' }).consume('k', rule);
redis.disconnect();
console.log(JSON.stringify({
  version: VERSION,
  allowed,
  retryAfterMs: denied.retryAfterMs,
  headers: rateLimitHeaders([{ rule, decision: denied }]),
  locked,
  memoryRemaining: memory.remaining,
  errorIsClass: typeof RateLimitError === 'function',
}));
`;

// Memory only: no Redis client installed, and still every public type resolves.
const MEMORY_TS = `
import { MemoryStore, RateLimiter, Lockout, RateLimitError, rateLimitHeaders, type AnyRateLimitError,
  type RateLimitDecision, type RedisScriptClient, type ScriptCall } from '@tses/redis-ratelimit';
const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' });
const d: RateLimitDecision = await limiter.consume('k', { limit: 1, windowMs: 1000 });
const headers: Record<string, string> = rateLimitHeaders([{ rule: { name: 'x', limit: 1, windowMs: 1000 }, decision: d }]);
const lockout = new Lockout({ store: new MemoryStore(), failureMode: 'deny' });
await lockout.check('s', { maxFailures: 3, windowMs: 1000 });
const adapter: RedisScriptClient = {
  clientName: 'mine', isCluster: false, isReady: () => true, whenReady: async () => undefined,
  evalSha: async (call: ScriptCall) => call.sha, scriptLoad: async () => 'sha',
};
new RateLimiter({ redis: adapter, failureMode: 'allow' });
const code = (e: AnyRateLimitError): string => e.code;
export { headers, code, RateLimitError };
`;

const IOREDIS_TS = `
import { Cluster, Redis } from 'ioredis';
import { RateLimiter, Lockout, RedisStore, runRedisScript, defineRedisScripts, rateLimitClusterOptions,
  rateLimitRedisOptions } from '@tses/redis-ratelimit';
const redis = new Redis('redis://127.0.0.1:6379', { ...rateLimitRedisOptions, lazyConnect: true });
const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }], { ...rateLimitClusterOptions, lazyConnect: true });
new RateLimiter({ redis, failureMode: 'throw' });
new Lockout({ redis: cluster, failureMode: 'deny' });
new RedisStore(cluster);
const { mine } = defineRedisScripts(new URL('./lua/', import.meta.url), '1.0.0', { mine: 1 });
export const reply: Promise<unknown> = runRedisScript(redis, mine, ['k'], [1], { timeoutMs: 100 });
`;

const NODE_REDIS_TS = `
import { createClient, createCluster } from 'redis';
import { RateLimiter, Lockout, RedisStore, runRedisScript, defineRedisScripts } from '@tses/redis-ratelimit';
const client = createClient({ url: 'redis://127.0.0.1:6379' });
const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }] });
new RateLimiter({ redis: client, failureMode: 'throw' });
new Lockout({ redis: cluster, failureMode: 'deny' });
new RedisStore(client);
const { mine } = defineRedisScripts(new URL('./lua/', import.meta.url), '1.0.0', { mine: 1 });
export const reply: Promise<unknown> = runRedisScript(cluster, mine, ['k'], [1], { timeoutMs: 100 });
`;

// Runs on node-redis against real Redis: counts, the lockout, the reset.
const NODE_REDIS_MAIN = `
import { createClient } from 'redis';
import { RateLimiter, Lockout } from '@tses/redis-ratelimit';
import { randomUUID } from 'node:crypto';
const redis = await createClient({ url: process.env.REDIS_URL }).connect();
const keyPrefix = 'pack:' + randomUUID() + ':';
const limiter = new RateLimiter({ redis, keyPrefix, failureMode: 'throw', timeoutMs: 2000 });
const rule = { limit: 2, windowMs: 10000 };
const allowed = (await Promise.all([1, 2, 3].map(() => limiter.consume('k', rule)))).map((d) => d.allowed);
const lockout = new Lockout({ redis, keyPrefix, failureMode: 'throw' });
const locked = (await lockout.fail('s', { maxFailures: 1, windowMs: 10000 })).locked;
await limiter.reset('k');
await lockout.clear('s');
redis.destroy();
console.log(JSON.stringify({ allowed: allowed.sort(), locked }));
`;

// One framework each, installed alone: the subpath's types compile with no other framework's
// types present, and the decision attached to the request is typed.
const KOA_TS = `
import Koa from 'koa';
import { MemoryStore, RateLimitKeyError } from '@tses/redis-ratelimit';
import { rateLimit, type RateLimitInfo } from '@tses/redis-ratelimit/koa';
const app = new Koa();
app.use(rateLimit({ store: new MemoryStore(), failureMode: 'throw', rules: { name: 'api', limit: 1, windowMs: 1000 } }));
app.use((ctx) => {
  const info: RateLimitInfo | undefined = ctx.state.rateLimit;
  ctx.body = { allowed: info?.allowed ?? null, keyError: RateLimitKeyError.code };
});
`;
const EXPRESS_TS = `
import express from 'express';
import { MemoryStore } from '@tses/redis-ratelimit';
import { rateLimit } from '@tses/redis-ratelimit/express';
const app = express();
app.use(rateLimit({ store: new MemoryStore(), failureMode: 'allow', key: (req) => req.get('x-user') ?? '',
  rules: [{ name: 'a', limit: 1, windowMs: 1000 }], onLimited: (_req, res, _next, info) => { res.status(429).json({ policy: info.policy }); } }));
app.get('/', (req, res) => { const allowed: boolean | undefined = req.rateLimit?.allowed; res.json({ allowed }); });
`;
const FASTIFY_MAIN = `
import Fastify from 'fastify';
import { MemoryStore } from '@tses/redis-ratelimit';
import { rateLimit } from '@tses/redis-ratelimit/fastify';
const app = Fastify();
await app.register(rateLimit, { store: new MemoryStore(), failureMode: 'deny', global: false });
app.get('/', { config: { rateLimit: { rules: { name: 'api', limit: 1, windowMs: 10000 } } } }, async (request) => ({
  remaining: request.rateLimit?.policies[0]?.decision.remaining ?? null,
}));
const statuses: number[] = [];
for (let i = 0; i < 2; i++) statuses.push((await app.inject({ method: 'GET', url: '/' })).statusCode);
await app.close();
console.log(JSON.stringify(statuses));
`;
const HONO_TS = `
import { Hono } from 'hono';
import { MemoryStore } from '@tses/redis-ratelimit';
import { rateLimit, type RateLimitInfo } from '@tses/redis-ratelimit/hono';
const app = new Hono();
app.use(rateLimit({ store: new MemoryStore(), failureMode: 'throw', key: (c) => c.req.header('x-user') ?? '',
  rules: { name: 'api', limit: 1, windowMs: 1000 } }));
app.get('/', (c) => { const info: RateLimitInfo | undefined = c.get('rateLimit'); return c.json({ allowed: info?.allowed ?? null }); });
export default app;
`;

describe('packaging', () => {
  const work = mkdtempSync(join(tmpdir(), 'tses-ratelimit-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'npm pack → types compile in fresh projects with no client, ioredis, node-redis, or one framework only; runs on both clients and Fastify; publint passes',
    { timeout: 240_000 },
    async () => {
      const core = packLibrary(coreDir, join(work, 'tarballs'));
      const { tarball, files } = packLibrary(libDir, join(work, 'tarballs'));

      const listing = files.map((file) => `package/${file}`).join('\n');
      expect(listing).toContain('package/dist/index.js');
      expect(listing).toContain('package/dist/dts/index.d.ts');
      expect(listing).toContain('package/dist/commands/consumeWindow-1.lua');
      expect(listing).toContain('package/dist/commands/includes/windowTtl.lua');
      expect(listing).toContain('package/LICENSE');
      expect(listing).toContain('package/dist/dts/valkey-glide.d.ts');
      for (const entry of ['koa', 'express', 'fastify', 'hono']) {
        expect(listing).toContain(`package/dist/${entry}.js`);
        expect(listing).toContain(`package/dist/dts/${entry}.d.ts`);
      }
      expect(listing).not.toMatch(/tsbuildinfo|\.test\.|package\/test\/|package\/dist\/lib\/.*\.d\.ts/);

      // One fresh project per client (none, ioredis, node-redis), each installing only that one,
      // type-checked side by side.
      const project = (name: string, deps: string[], files: Record<string, string>): string =>
        freshProject(join(work, name), [core.tarball, tarball, '@types/node@24', ...deps], files);
      const memory = project('memory-only', [], { 'app.ts': MEMORY_TS });
      const app = project('ioredis-only', ['ioredis@6'], { 'app.ts': IOREDIS_TS, 'main.mjs': CONSUMER });
      const nodeRedis = project('node-redis-only', ['redis@6'], {
        'app.ts': NODE_REDIS_TS,
        'main.mjs': NODE_REDIS_MAIN,
      });
      // ioredis 6's own declarations import `redis-errors`, which ships none: that error is
      // ioredis's, whatever library sits beside it, so only errors elsewhere fail the check.
      const checked = await Promise.all(
        [memory, app, nodeRedis].map((dir) =>
          typeErrors(dir, { compilerOptions: STRICT_CONSUMER_OPTIONS, ignore: ['ioredis'] }),
        ),
      );
      const frameworks = [
        project('koa-only', ['koa@3', '@types/koa@3'], { 'app.ts': KOA_TS }),
        project('express-only', ['express@5', '@types/express@5'], { 'app.ts': EXPRESS_TS }),
        project('fastify-only', ['fastify@5'], { 'main.mts': FASTIFY_MAIN }),
        project('hono-only', ['hono@4'], { 'app.ts': HONO_TS }),
      ];
      const frameworkErrors = await Promise.all(
        frameworks.map((dir) =>
          typeErrors(dir, { compilerOptions: STRICT_CONSUMER_OPTIONS, include: ['*.ts', '*.mts'] }),
        ),
      );
      expect(frameworkErrors).toEqual([[], [], [], []]);
      const fastifyRan = execFileSync(process.execPath, ['main.mts'], {
        cwd: frameworks[2]!,
        encoding: 'utf8',
      });
      expect(JSON.parse(fastifyRan)).toEqual([200, 429]);
      expect(checked).toEqual([[], [], []]);
      const ran = execFileSync(process.execPath, ['main.mjs'], {
        cwd: nodeRedis,
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: redisUrl },
      });
      expect(JSON.parse(ran)).toEqual({ allowed: [false, true, true], locked: true });

      const out = execFileSync(process.execPath, ['main.mjs'], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: redisUrl },
      });
      expect(JSON.parse(out)).toEqual({
        version: '0.2.0',
        allowed: [true, true, false],
        retryAfterMs: 10000,
        headers: { 'RateLimit-Policy': '"demo";q=2;w=10', RateLimit: '"demo";r=0;t=10', 'Retry-After': '10' },
        locked: true,
        memoryRemaining: 1,
        errorIsClass: true,
      });

      expect(await publintProblems(tarball)).toEqual([]);
    },
  );
});
