import { readFileSync } from 'node:fs';
import { GlideClient } from '@valkey/valkey-glide';
import { Cluster, Redis } from 'ioredis';
import { Redis as Iovalkey } from 'iovalkey';
import { createClient, createCluster } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Lockout,
  MemoryStore,
  RateLimitConfigError,
  RateLimitError,
  RateLimitNotSentError,
  RateLimiter,
  RateLimitStoreError,
  RateLimitTimeoutError,
  RateLimitUnavailableError,
  rateLimitRedisOptions,
  RedisStore,
  VERSION,
  type FailureMode,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { connectRedis, redisUrl, whenReady } from './support/services.js';

describe('configuration', () => {
  const unsafe = new Redis(redisUrl, { lazyConnect: true });
  const safe = connectRedis();
  afterAll(() => {
    unsafe.disconnect();
    safe.disconnect();
  });

  it('VERSION matches package.json (it names the Lua commands)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  it('refuses a client that could replay an unanswered command', () => {
    expect(() => new RateLimiter({ redis: unsafe, failureMode: 'throw' })).toThrow(RateLimitConfigError);
    expect(() => new Lockout({ redis: unsafe, failureMode: 'throw' })).toThrow(
      /autoResendUnfulfilledCommands/,
    );
  });

  it('names the client and the setting when a client could replay a call', () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const valkey = new Iovalkey(redisUrl, { lazyConnect: true });
    try {
      expect(() => new RateLimiter({ redis: unsafe, failureMode: 'throw' })).toThrow(
        /ioredis Redis client has autoResendUnfulfilledCommands=true/,
      );
      expect(() => new Lockout({ redis: cluster, failureMode: 'throw' })).toThrow(
        /ioredis Cluster client has retryDelayOnFailover=100/,
      );
      expect(() => new RedisStore(valkey)).toThrow(/autoResendUnfulfilledCommands=true/);
    } finally {
      cluster.disconnect();
      valkey.disconnect();
    }
  });

  it('takes node-redis clients and clusters as they are (nothing about ioredis settings)', () => {
    const client = createClient({ url: redisUrl });
    const cluster = createCluster({ rootNodes: [{ url: redisUrl }] });
    expect(
      () => new RateLimiter({ redis: client as unknown as RedisClient, failureMode: 'throw' }),
    ).not.toThrow();
    expect(
      () => new Lockout({ redis: cluster as unknown as RedisClient, failureMode: 'throw' }),
    ).not.toThrow();
  });

  it('refuses what is not a supported client, saying what it got', async () => {
    expect(() => new RateLimiter({ redis: {} as RedisClient, failureMode: 'throw' })).toThrow(
      /must be an ioredis or iovalkey Redis\/Cluster, a node-redis client\/cluster, or a RedisScriptClient; got an object of class Object/,
    );
    expect(
      () => new RateLimiter({ redis: 'redis://x' as unknown as RedisClient, failureMode: 'throw' }),
    ).toThrow(RateLimitConfigError);
    // A valkey-glide client is pointed at its adapter.
    const glide = Object.create(GlideClient.prototype) as RedisClient;
    expect(() => new RateLimiter({ redis: glide, failureMode: 'throw' })).toThrow(
      /valkey-glide client: wrap it with glideScriptClient\(\) from '@tses\/redis-ratelimit\/valkey-glide'/,
    );
  });

  it('requires exactly one store and an explicit failure mode', () => {
    const store = new MemoryStore();
    expect(() => new RateLimiter({ failureMode: 'throw' })).toThrow(RateLimitConfigError);
    expect(() => new RateLimiter({ store, redis: safe, failureMode: 'throw' })).toThrow(RateLimitConfigError);
    expect(() => new RateLimiter({ store, failureMode: 'maybe' as FailureMode })).toThrow(
      RateLimitConfigError,
    );
    expect(() => new RateLimiter({ store, failureMode: 'throw', timeoutMs: 0 })).toThrow(
      RateLimitConfigError,
    );
  });

  it('checks the shield and coalescing options', () => {
    const store = new MemoryStore();
    for (const options of [
      { shield: 'yes' as never },
      { shield: null as never },
      { shield: { maxKeys: 0 } },
      { shield: { maxKeys: 1.5 } },
      { coalesce: 'consumeAll' as never },
    ]) {
      expect(() => new RateLimiter({ store, failureMode: 'throw', ...options })).toThrow(
        RateLimitConfigError,
      );
    }
    for (const options of [{ shield: true }, { shield: { maxKeys: 1 } }, { coalesce: 'all' as const }]) {
      expect(new RateLimiter({ store, failureMode: 'throw', ...options })).toBeInstanceOf(RateLimiter);
    }
  });

  it('rejects invalid keys, rules and policies with RateLimitConfigError in every failure mode', async () => {
    const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'allow' });
    const lockout = new Lockout({ store: new MemoryStore(), failureMode: 'allow' });
    await expect(limiter.consume('', { limit: 1, windowMs: 1000 })).rejects.toThrow(RateLimitConfigError);
    await expect(limiter.consume('k', { limit: 0, windowMs: 1000 })).rejects.toThrow(RateLimitConfigError);
    await expect(limiter.consume('k', { limit: 1, windowMs: 1.5 })).rejects.toThrow(RateLimitConfigError);
    await expect(limiter.consumeAll([])).rejects.toThrow(RateLimitConfigError);
    await expect(limiter.refund('k', { limit: 1, windowMs: 1000 }, -1)).rejects.toThrow(RateLimitConfigError);
    await expect(lockout.fail('s', { maxFailures: 0, windowMs: 1000 })).rejects.toThrow(RateLimitConfigError);
  });

  it('a rule object changed after use is checked again (rules are cached per object)', async () => {
    const limiter = new RateLimiter({
      redis: safe,
      keyPrefix: `test:${crypto.randomUUID()}:`,
      failureMode: 'allow',
    });
    await whenReady(safe);
    const rule: { limit: number; windowMs: number; countDenied?: boolean } = { limit: 1, windowMs: 5000 };
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, remaining: 0 });
    rule.limit = 0;
    await expect(limiter.consume('k', rule)).rejects.toThrow(RateLimitConfigError);
    rule.limit = 3;
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, limit: 3, remaining: 1 });
    rule.limit = 2;
    rule.countDenied = true;
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: false, limit: 2 });
    expect((await limiter.peek('k', { limit: 10, windowMs: 5000 })).remaining).toBe(7); // the denial counted
    await limiter.reset('k');
  });

  it("honours the client's own ioredis keyPrefix on every path", async () => {
    const appPrefix = `test:${crypto.randomUUID()}:app:`;
    const prefixed = new Redis(redisUrl, { ...rateLimitRedisOptions, keyPrefix: appPrefix });
    try {
      await whenReady(prefixed);
      const limiter = new RateLimiter({ redis: prefixed, keyPrefix: 'rl:', failureMode: 'throw' });
      const rule = { limit: 5, windowMs: 5000 };
      await limiter.consume('k', rule);
      await limiter.consume('k', rule);
      expect((await limiter.peek('k', rule)).remaining).toBe(3);
      expect(await safe.get(`${appPrefix}rl:k`)).toBe('2');
      expect(await safe.pttl(`${appPrefix}rl:k`)).toBeGreaterThan(0);
      await limiter.reset('k');
      expect(await safe.exists(`${appPrefix}rl:k`)).toBe(0);
    } finally {
      prefixed.disconnect();
    }
  });

  it('a Redis error reply becomes RateLimitStoreError (and follows the failure mode)', async () => {
    const prefix = `test:${crypto.randomUUID()}:`;
    await whenReady(safe);
    await safe.hset(`${prefix}wrongtype`, 'x', '1');
    await safe.pexpire(`${prefix}wrongtype`, 10_000);
    const seen: RateLimitError[] = [];
    const throwing = new RateLimiter({ redis: safe, keyPrefix: prefix, failureMode: 'throw' });
    const error = await throwing.consume('wrongtype', { limit: 1, windowMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitStoreError);
    expect(error).toMatchObject({ code: 'ERR_RATELIMIT_STORE', name: 'RateLimitStoreError' });
    expect((error as Error).cause).toBeInstanceOf(Error);
    const allowing = new RateLimiter({
      redis: safe,
      keyPrefix: prefix,
      failureMode: 'allow',
      onError: (e) => seen.push(e),
    });
    expect((await allowing.consume('wrongtype', { limit: 1, windowMs: 1000 })).allowed).toBe(true);
    expect(seen).toHaveLength(1);
    await throwing.reset('wrongtype');
  });

  it('errors form one hierarchy with stable codes', () => {
    const cause = new Error('boom');
    for (const [E, code] of [
      [RateLimitUnavailableError, 'ERR_RATELIMIT_UNAVAILABLE'],
      [RateLimitNotSentError, 'ERR_RATELIMIT_NOT_SENT'],
      [RateLimitTimeoutError, 'ERR_RATELIMIT_TIMEOUT'],
      [RateLimitStoreError, 'ERR_RATELIMIT_STORE'],
      [RateLimitConfigError, 'ERR_RATELIMIT_CONFIG'],
    ] as const) {
      const e = new E('x', { cause });
      expect(e).toBeInstanceOf(RateLimitError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(code);
      expect(E.code).toBe(code);
      expect(e.name).toBe(E.name);
      expect(e.cause).toBe(cause);
    }
  });
});
