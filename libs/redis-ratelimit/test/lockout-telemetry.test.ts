// What a Lockout reports through OpenTelemetry (SDK in-memory reader and span exporter) and its
// `onLockoutEvent` hook: exact counts by lockout name and outcome after a known sequence of calls
// on real Redis and the Cluster (concurrent failures included), the failure modes, spans only
// inside an active trace, and no subject, email or IP in any attribute.
import { randomUUID } from 'node:crypto';
import { context, metrics, trace } from '@opentelemetry/api';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lockout,
  MemoryStore,
  RateLimitConfigError,
  RateLimiter,
  RateLimitUnavailableError,
  type LockoutEvent,
} from '@tses/redis-ratelimit';
import {
  attributeValues,
  enableContext,
  otelTestKit,
  sumOf,
  type OtelTestKit,
} from '../../../scripts/test-support/otel.mjs';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { connectRedis, IOREDIS_TOPOLOGIES } from './support/services.js';

const EMAIL = 'bob.lockout@example.com';
const IP = '198.51.100.23';
const SUBJECT = `password:${EMAIL}:ip:${IP}`;
const EVENTS = 'tses.ratelimit.lockout.events';
const DURATION = 'tses.ratelimit.store.duration';
const policy = { maxFailures: 3, windowMs: 60_000 };

describe.each(IOREDIS_TOPOLOGIES)('lockout telemetry on %s', (_name, connect) => {
  let client: Redis | Cluster;
  let kit: OtelTestKit;
  beforeAll(() => {
    enableContext();
    client = connect();
  });
  afterAll(() => client.disconnect());

  const lockout = (extra: object = {}) =>
    new Lockout({
      redis: client,
      keyPrefix: `test:${randomUUID()}:`,
      failureMode: 'throw',
      name: 'password',
      telemetry: { meterProvider: kit.meterProvider, tracerProvider: kit.tracerProvider },
      ...extra,
    });

  it('counts 5 concurrent fails (maxFailures 3) as 2 counted and 3 locked, then checks and a clear', async () => {
    kit = otelTestKit();
    const events: LockoutEvent[] = [];
    const l = lockout({ onLockoutEvent: (e: LockoutEvent) => events.push(e) });
    const states = await Promise.all(Array.from({ length: 5 }, () => l.fail(SUBJECT, policy)));
    expect(states.filter((s) => s.locked)).toHaveLength(3);
    expect((await l.check(SUBJECT, policy)).locked).toBe(true);
    expect((await l.check(SUBJECT, policy)).locked).toBe(true);
    await l.clear(SUBJECT);
    expect((await l.check(SUBJECT, policy)).locked).toBe(false);

    const points = await kit.points();
    const count = (outcome: string) =>
      sumOf(points, EVENTS, { 'tses.ratelimit.lockout.name': 'password', 'tses.ratelimit.outcome': outcome });
    expect({
      failure_counted: count('failure_counted'),
      locked: count('locked'),
      check_locked: count('check_locked'),
      check_open: count('check_open'),
      cleared: count('cleared'),
      error: count('error'),
    }).toEqual({ failure_counted: 2, locked: 3, check_locked: 2, check_open: 1, cleared: 1, error: 0 });
    expect(sumOf(points, EVENTS)).toBe(9);
    const timed = (operation: string) =>
      sumOf(points, DURATION, { 'db.system.name': 'redis', 'db.operation.name': operation });
    expect([timed('fail'), timed('check'), timed('clear')]).toEqual([5, 3, 1]);
    expect(points.find((p) => p.name === EVENTS)?.unit).toBe('{event}');

    expect(events.slice(5)).toEqual([
      { name: 'password', outcome: 'check_locked', operation: 'check' },
      { name: 'password', outcome: 'check_locked', operation: 'check' },
      { name: 'password', outcome: 'cleared', operation: 'clear' },
      { name: 'password', outcome: 'check_open', operation: 'check' },
    ]);
    const fails = events.slice(0, 5);
    expect(fails.filter((e) => e.outcome === 'failure_counted')).toHaveLength(2);
    expect(fails.filter((e) => e.outcome === 'locked')).toHaveLength(3);
    expect(fails.every((e) => e.operation === 'fail' && e.name === 'password')).toBe(true);

    expect(kit.spans()).toEqual([]); // no active trace: no span
    const leaked = attributeValues(points, []).filter(
      (v) => v.includes(EMAIL) || v.includes(IP) || v.includes('password:') || v.includes('test:'),
    );
    expect(leaked).toEqual([]);
    await kit.shutdown();
  });

  it('inside an active trace, each store call is a client span of that trace; none holds the subject', async () => {
    kit = otelTestKit();
    const l = lockout();
    const parent = kit.tracerProvider.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await l.check(SUBJECT, policy);
      await l.fail(SUBJECT, policy);
      await l.clear(SUBJECT);
    });
    parent.end();
    const spans = kit.spans().filter((s) => s.name.startsWith('lockout '));
    expect(spans.map((s) => s.name)).toEqual(['lockout check', 'lockout fail', 'lockout clear']);
    for (const s of spans) {
      expect(s.traceId).toBe(parent.spanContext().traceId);
      expect(s.parentSpanId).toBe(parent.spanContext().spanId);
      expect(s.attributes).toEqual({
        'db.system.name': 'redis',
        'db.operation.name': s.name.slice('lockout '.length),
      });
    }
    const values = attributeValues(await kit.points(), spans);
    expect(values.filter((v) => v.includes(EMAIL) || v.includes(IP))).toEqual([]);
    await kit.shutdown();
  });
});

describe('lockout telemetry: failure modes on an unreachable Redis', () => {
  let port: number;
  beforeAll(async () => {
    port = await freePort();
  });

  it.each(['allow', 'deny', 'throw'] as const)(
    'failureMode %s → outcome error with error.type, for fail, check and clear',
    async (failureMode) => {
      const kit = otelTestKit();
      const client = connectRedis(`redis://127.0.0.1:${port}`);
      const events: LockoutEvent[] = [];
      const l = new Lockout({
        redis: client,
        failureMode,
        timeoutMs: 100,
        name: 'totp',
        telemetry: { meterProvider: kit.meterProvider },
        onLockoutEvent: (e) => events.push(e),
      });
      const calls = await Promise.allSettled([
        l.fail(SUBJECT, policy),
        l.check(SUBJECT, policy),
        l.clear(SUBJECT),
      ]);
      client.disconnect();
      expect(calls.map((c) => c.status)).toEqual(
        Array(3).fill(failureMode === 'throw' ? 'rejected' : 'fulfilled'),
      );
      if (failureMode !== 'throw') {
        const [fail, check, clear] = calls.map((c) => (c.status === 'fulfilled' ? c.value : 'rejected'));
        expect([(fail as { locked: boolean }).locked, (check as { locked: boolean }).locked]).toEqual([
          failureMode === 'deny',
          failureMode === 'deny',
        ]);
        expect(clear).toBeUndefined();
      }
      const points = await kit.points();
      expect(
        sumOf(points, EVENTS, { 'tses.ratelimit.lockout.name': 'totp', 'tses.ratelimit.outcome': 'error' }),
      ).toBe(3);
      expect(sumOf(points, EVENTS)).toBe(3);
      for (const operation of ['fail', 'check', 'clear']) {
        expect(
          sumOf(points, DURATION, {
            'db.operation.name': operation,
            'error.type': RateLimitUnavailableError.name,
          }),
        ).toBe(1);
      }
      expect(events).toEqual(
        (['fail', 'check', 'clear'] as const).map((operation) => ({
          name: 'totp',
          outcome: 'error',
          operation,
          errorType: 'RateLimitUnavailableError',
        })),
      );
      await kit.shutdown();
    },
  );
});

describe('lockout telemetry: options and bad input', () => {
  it('refuses a hook that is not a function and a name that is not a non-empty string', () => {
    const base = { store: new MemoryStore(), failureMode: 'throw' } as const;
    expect(() => new Lockout({ ...base, onLockoutEvent: 'log' as never })).toThrow(RateLimitConfigError);
    expect(() => new Lockout({ ...base, name: '' })).toThrow(RateLimitConfigError);
    expect(() => new Lockout({ ...base, name: 42 as never })).toThrow(RateLimitConfigError);
  });

  it('counts nothing for a call refused as invalid; a store other than Redis has no db.system.name', async () => {
    const kit = otelTestKit();
    const events: LockoutEvent[] = [];
    const l = new Lockout({
      store: new MemoryStore(),
      failureMode: 'throw',
      telemetry: { meterProvider: kit.meterProvider },
      onLockoutEvent: (e) => events.push(e),
    });
    await expect(l.fail('', policy)).rejects.toThrow(RateLimitConfigError);
    await expect(l.check('k', { maxFailures: 0, windowMs: 1 })).rejects.toThrow(RateLimitConfigError);
    await expect(l.clear('')).rejects.toThrow(RateLimitConfigError);
    expect(events).toEqual([]);
    await l.fail('k', policy);
    const points = await kit.points();
    expect(points.filter((p) => p.name === EVENTS)).toEqual([
      expect.objectContaining({
        attributes: { 'tses.ratelimit.lockout.name': 'unnamed', 'tses.ratelimit.outcome': 'failure_counted' },
        value: 1,
      }),
    ]);
    expect(points.filter((p) => p.name === DURATION).map((p) => p.attributes)).toEqual([
      { 'db.operation.name': 'fail' },
    ]);
    expect(events).toEqual([{ name: 'unnamed', outcome: 'failure_counted', operation: 'fail' }]);
    await kit.shutdown();
  });

  it('a hook that throws changes no answer', async () => {
    const l = new Lockout({
      store: new MemoryStore(),
      failureMode: 'throw',
      telemetry: false,
      onLockoutEvent: () => {
        throw new Error('hook');
      },
    });
    expect((await l.fail('k', { maxFailures: 1, windowMs: 60_000 })).locked).toBe(true);
  });
});

describe('lockout telemetry: the global API and the shared histogram', () => {
  it('reports to the global SDK by default, nothing with telemetry: false; limiter and lockout share one histogram', async () => {
    const kit = otelTestKit();
    metrics.setGlobalMeterProvider(kit.meterProvider);
    const client = connectRedis();
    try {
      const prefix = `test:${randomUUID()}:`;
      const on = new Lockout({ redis: client, keyPrefix: prefix, failureMode: 'throw', name: 'global' });
      const off = new Lockout({
        redis: client,
        keyPrefix: prefix,
        failureMode: 'throw',
        name: 'global',
        telemetry: false,
      });
      const limiter = new RateLimiter({ redis: client, keyPrefix: prefix, failureMode: 'throw' });
      await on.fail('k', policy);
      await off.fail('k', policy);
      await off.check('k', policy);
      await on.clear('k');
      await limiter.consume('k', { name: 'global', limit: 1, windowMs: 60_000 });
      const points = await kit.points();
      expect(sumOf(points, EVENTS, { 'tses.ratelimit.outcome': 'failure_counted' })).toBe(1);
      expect(sumOf(points, EVENTS, { 'tses.ratelimit.outcome': 'cleared' })).toBe(1);
      expect(sumOf(points, EVENTS)).toBe(2);
      expect(points.find((p) => p.name === EVENTS)?.scope).toBe('@tses/redis-ratelimit');
      const durations = points.filter((p) => p.name === DURATION);
      expect(durations.map((p) => p.attributes['db.operation.name']).sort()).toEqual([
        'clear',
        'consume',
        'fail',
      ]);
    } finally {
      metrics.disable();
      client.disconnect();
      await kit.shutdown();
    }
  });
});
