// The packed tarball installs into a fresh project outside the monorepo with only ioredis beside
// it, works against real Redis, and passes publint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from './support/services.js';

const libDir = fileURLToPath(new URL('..', import.meta.url));
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

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

describe('packaging', () => {
  const work = mkdtempSync(join(tmpdir(), 'tses-ratelimit-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'npm pack → install with ioredis@6 in a fresh project → runs against Redis; publint passes',
    { timeout: 240_000 },
    () => {
      npm(['pack', '--pack-destination', work], libDir);
      const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
      expect(tarball).toBeDefined();

      const listing = execFileSync('tar', ['-tzf', join(work, tarball!)], { encoding: 'utf8' });
      expect(listing).toContain('package/dist/index.js');
      expect(listing).toContain('package/dist/index.d.ts');
      expect(listing).toContain('package/dist/commands/consumeWindow-1.lua');
      expect(listing).toContain('package/dist/commands/includes/windowTtl.lua');
      expect(listing).toContain('package/LICENSE');
      expect(listing).not.toMatch(/tsbuildinfo|\.test\.|package\/test\//);

      const app = join(work, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      );
      npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball!), 'ioredis@6'], app);
      writeFileSync(join(app, 'main.mjs'), CONSUMER);
      const out = execFileSync(process.execPath, ['main.mjs'], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: redisUrl },
      });
      expect(JSON.parse(out)).toEqual({
        version: '0.1.0',
        allowed: [true, true, false],
        retryAfterMs: 10000,
        headers: { 'RateLimit-Policy': '"demo";q=2;w=10', RateLimit: '"demo";r=0;t=10', 'Retry-After': '10' },
        locked: true,
        memoryRemaining: 1,
        errorIsClass: true,
      });

      const publint = fileURLToPath(new URL('../../../node_modules/publint/src/cli.js', import.meta.url));
      const report = execFileSync(process.execPath, [publint, '--strict', join(work, tarball!)], {
        encoding: 'utf8',
      });
      expect(report).not.toMatch(/error|warning/i);
    },
  );
});
