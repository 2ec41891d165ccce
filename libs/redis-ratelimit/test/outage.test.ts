// Redis unreachable: the typed error within the timeout, the three failure modes, and no hit
// replayed after the server comes back (no offline queue, no resend of unanswered commands), for
// each fully tested client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lockout,
  RateLimitError,
  RateLimiter,
  RateLimitTimeoutError,
  RateLimitUnavailableError,
  type FailureMode,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { PrivateRedis } from '../../../scripts/test-support/private-redis.mjs';
import { FULL_CLIENTS, type TestClient } from './support/clients.js';
import { sleep, until } from './support/services.js';

const TIMEOUT = 300;
// Generous slack for two shared cores; the point is "bounded by the timeout", not "instant".
const SLACK = 400;

describe.each(FULL_CLIENTS)('Redis outage (private redis-server), $name', (kind) => {
  let server: PrivateRedis;
  let connection: TestClient;
  let redis: RedisClient;
  const prefix = `test:${randomUUID()}:`;
  const rule = { limit: 5, windowMs: 60_000 };
  const errors: RateLimitError[] = [];
  const make = (failureMode: FailureMode) =>
    new RateLimiter({
      redis,
      keyPrefix: prefix,
      failureMode,
      timeoutMs: TIMEOUT,
      onError: (e) => errors.push(e),
    });

  beforeAll(async () => {
    server = await PrivateRedis.start();
    connection = await kind.standalone(server.url);
    redis = connection.client;
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('server down: typed error within the timeout; allow and deny decide; nothing replayed later', async () => {
    const throwing = make('throw');
    expect((await throwing.consume('k', rule)).remaining).toBe(4);
    await server.stop();

    const started = performance.now();
    const failures = await Promise.allSettled(Array.from({ length: 20 }, () => throwing.consume('k', rule)));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(TIMEOUT + SLACK);
    for (const f of failures) {
      expect(f.status).toBe('rejected');
      const reason = (f as PromiseRejectedResult).reason as RateLimitError;
      expect(reason).toBeInstanceOf(RateLimitError);
      expect([RateLimitUnavailableError, RateLimitTimeoutError].some((E) => reason instanceof E)).toBe(true);
      expect(reason.code).toMatch(/^ERR_RATELIMIT_(UNAVAILABLE|TIMEOUT)$/);
      expect(reason.name).toBe(reason.constructor.name);
    }
    await expect(throwing.consumeAll([{ key: 'k', rule }])).rejects.toBeInstanceOf(RateLimitError);

    const allow = await make('allow').consume('k', rule);
    expect(allow).toMatchObject({ allowed: true, remaining: 5, retryAfterMs: 0 });
    const deny = await make('deny').consume('k', rule);
    expect(deny.allowed).toBe(false);
    expect(deny.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(deny.retryAfterMs).toBeLessThanOrEqual(60_000);
    const denyAll = await make('deny').consumeAll([{ key: 'k', rule }]);
    expect(denyAll).toMatchObject({ allowed: false, blockedIndex: 0 });
    expect(errors.length).toBeGreaterThanOrEqual(24);

    const lockout = (failureMode: FailureMode) =>
      new Lockout({ redis, keyPrefix: prefix, failureMode, timeoutMs: TIMEOUT });
    const policy = { maxFailures: 5, windowMs: 60_000 };
    await expect(lockout('throw').check('s', policy)).rejects.toBeInstanceOf(RateLimitError);
    expect((await lockout('allow').fail('s', policy)).locked).toBe(false);
    expect((await lockout('deny').check('s', policy)).locked).toBe(true);

    await server.start(); // empty: --save '' --appendonly no, so any count now comes from a replay
    await until(connection.ready);
    await sleep(300);
    expect((await throwing.peek('k', rule)).remaining).toBe(5);
    expect((await lockout('throw').check('s', policy)).failures).toBe(0);
    expect((await throwing.consume('k', rule)).remaining).toBe(4);
  });

  it('a call that timed out on a stalled connection is not resent after the reconnect', async () => {
    const limiter = make('throw');
    const admin = server.admin();
    try {
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE'); // scripts that write now wait
      const started = performance.now();
      await expect(limiter.consume('stalled', rule)).rejects.toBeInstanceOf(RateLimitTimeoutError);
      expect(performance.now() - started).toBeLessThan(TIMEOUT + SLACK);
      // Drop the stalled connection (its command unexecuted), then let writes through again.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await admin.call('CLIENT', 'UNPAUSE');
      await until(connection.ready);
      await sleep(300);
      expect((await limiter.peek('stalled', rule)).remaining).toBe(5);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });

  it('a closed client fails at once with RateLimitUnavailableError', async () => {
    const closed = await kind.standalone(server.url);
    await closed.close();
    await sleep(50);
    const limiter = new RateLimiter({
      redis: closed.client,
      keyPrefix: prefix,
      failureMode: 'throw',
      timeoutMs: 5000,
    });
    const started = performance.now();
    await expect(limiter.consume('k', rule)).rejects.toBeInstanceOf(RateLimitUnavailableError);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
