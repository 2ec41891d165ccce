// The packed tarballs (@tses/otp with the @tses/redis-ratelimit and @tses/core it depends on)
// install into a fresh project outside the monorepo and run against Redis.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { freshProject, packLibrary } from '../../../scripts/test-support/packaging.mjs';

const lib = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));

const CONSUMER = `
import { Redis } from 'ioredis';
import { RateLimiter, rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { Otp, RedisOtpStore, MemoryOtpStore, OTP_DEFAULTS } from '@tses/otp';
import { normalizeEmail } from '@tses/otp/email';
import { MemoryStore, rateLimitHeaders } from '@tses/redis-ratelimit';

const redis = new Redis(process.env.REDIS_URL, { ...rateLimitRedisOptions });
await new Promise((resolve) => redis.once('ready', resolve));
const prefix = process.env.PREFIX;
const otp = new Otp({
  serverSecret: 'packaging-test-secret-of-32-bytes-or-more',
  store: new RedisOtpStore(redis),
  limiter: new RateLimiter({ redis, keyPrefix: prefix, failureMode: 'throw' }),
  keyPrefix: prefix,
});
const issued = await otp.request({ email: ' Pack@Example.COM', ip: '::ffff:192.0.2.1' });
const wrong = await otp.verify({ email: 'pack@example.com', otp: issued.code === '000000' ? '000001' : '000000' });
const ok = await otp.verify({ email: 'pack@example.com', otp: issued.code });
const memory = new Otp({
  serverSecret: 'packaging-test-secret-of-32-bytes-or-more',
  store: new MemoryOtpStore(),
  limiter: new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' }),
});
const m = await memory.request({ email: 'a@example.com', ip: '192.0.2.1' });
const mv = await memory.verify({ email: 'a@example.com', otp: m.code });
const keys = [];
let cursor = '0';
do {
  const [next, batch] = await redis.scan(cursor, 'MATCH', prefix + '*', 'COUNT', 1000);
  cursor = next;
  keys.push(...batch);
} while (cursor !== '0');
const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
if (keys.length) await redis.del(...keys);
await redis.quit();
console.log(JSON.stringify({
  issued: issued.status, codeLength: issued.code.length, headers: rateLimitHeaders(issued.rateLimits), wrong, ok, memory: mv.status,
  email: normalizeEmail(' X@Y.ORG'), defaults: OTP_DEFAULTS.maxFailures, persistent: ttls.filter((t) => t === -1).length,
}));
`;

describe('packaging', () => {
  const work = mkdtempSync(join(tmpdir(), 'tses-otp-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs from the packed tarballs outside the monorepo and runs against Redis', () => {
    const tarballs = join(work, 'tarballs');
    const [core, limiter, otp] = ['core', 'redis-ratelimit', 'otp'].map((name) =>
      packLibrary(lib(name), tarballs),
    );
    const listing = otp!.files.join('\n');
    expect(listing).toContain('dist/commands/verifyOtp-4.lua');
    expect(listing).toContain('dist/dts/index.d.ts');
    expect(listing).toContain('LICENSE');
    expect(listing).not.toMatch(/src\/|test\/|tsbuildinfo/);

    const app = freshProject(
      join(work, 'app'),
      [core!.tarball, limiter!.tarball, otp!.tarball, 'ioredis@6'],
      {
        'main.mjs': CONSUMER,
      },
    );
    const out = execFileSync(process.execPath, ['main.mjs'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: testServiceUrls().redisUrl, PREFIX: `otp-pack:${randomUUID()}:` },
      timeout: 30_000,
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
      issued: 'issued',
      codeLength: 6,
      headers: {
        'RateLimit-Policy': '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600',
        RateLimit: '"otp-email";r=2;t=600, "otp-ip";r=9;t=3600',
      },
      wrong: { status: 'invalid', attemptsRemaining: 4 },
      ok: { status: 'verified', email: 'pack@example.com' },
      memory: 'verified',
      email: { ok: true, email: 'x@y.org' },
      defaults: 5,
      persistent: 0,
    });
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/@tses/otp/package.json'), 'utf8'));
    // Types first in every entry (the `@tses/source` condition is inert outside the monorepo).
    for (const entry of Object.values(installed.exports as Record<string, Record<string, string> | string>)) {
      if (typeof entry === 'object')
        expect(Object.keys(entry).filter((k) => k !== '@tses/source')[0]).toBe('types');
    }
  }, 300_000);
});
