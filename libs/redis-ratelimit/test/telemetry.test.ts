// What a limiter reports through OpenTelemetry (SDK in-memory reader and span exporter) and its
// `onDecision` hook: exact counts by rule and outcome after a known sequence of calls on real
// Redis and the Cluster, the failure modes, spans only inside an active trace, and no key, email
// or IP in any attribute.
import { randomUUID } from 'node:crypto';
import { context, metrics, trace } from '@opentelemetry/api';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  RateLimitConfigError,
  RateLimiter,
  RateLimitUnavailableError,
  type RateLimitDecisionEvent,
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

const EMAIL = 'alice.telemetry@example.com';
const IP = '203.0.113.77';
const DECISIONS = 'tses.ratelimit.decisions';
const DURATION = 'tses.ratelimit.store.duration';

describe.each(IOREDIS_TOPOLOGIES)('limiter telemetry on %s', (_name, connect) => {
  let client: Redis | Cluster;
  let kit: OtelTestKit;
  beforeAll(() => {
    enableContext();
    client = connect();
  });
  afterAll(() => client.disconnect());

  const limiter = (extra: object = {}) =>
    new RateLimiter({
      redis: client,
      keyPrefix: `test:${randomUUID()}:`,
      failureMode: 'throw',
      telemetry: { meterProvider: kit.meterProvider, tracerProvider: kit.tracerProvider },
      ...extra,
    });

  it('counts 50 concurrent consumes against limit 20 as exactly 20 allowed and 30 denied', async () => {
    kit = otelTestKit();
    const events: RateLimitDecisionEvent[] = [];
    const l = limiter({ onDecision: (e: RateLimitDecisionEvent) => events.push(e) });
    const rule = { name: 'login', limit: 20, windowMs: 60_000 };
    await Promise.all(Array.from({ length: 50 }, () => l.consume(`email:${EMAIL}:ip:${IP}`, rule)));
    const points = await kit.points();
    expect(
      sumOf(points, DECISIONS, { 'tses.ratelimit.rule': 'login', 'tses.ratelimit.outcome': 'allowed' }),
    ).toBe(20);
    expect(
      sumOf(points, DECISIONS, { 'tses.ratelimit.rule': 'login', 'tses.ratelimit.outcome': 'denied' }),
    ).toBe(30);
    expect(sumOf(points, DECISIONS)).toBe(50);
    expect(sumOf(points, DURATION, { 'db.system.name': 'redis', 'db.operation.name': 'consume' })).toBe(50);
    expect(points.find((p) => p.name === DURATION)?.unit).toBe('s');
    expect(events.filter((e) => e.outcome === 'allowed')).toHaveLength(20);
    expect(events.filter((e) => e.outcome === 'denied')).toHaveLength(30);
    expect(events[0]).toEqual({ rule: 'login', outcome: 'allowed', operation: 'consume' });
    expect(kit.spans()).toEqual([]); // no active trace: no span
    expect(
      attributeValues(points, []).filter((v) => v.includes(EMAIL) || v.includes(IP) || v.includes('test:')),
    ).toEqual([]);
    await kit.shutdown();
  });

  it('counts consumeAll per rule: both allowed, then only the exhausted rule denied', async () => {
    kit = otelTestKit();
    const l = limiter();
    const items = [
      { key: `{s}:email:${EMAIL}`, rule: { name: 'otp-email', limit: 1, windowMs: 60_000 } },
      { key: `{s}:ip:${IP}`, rule: { name: 'otp-ip', limit: 10, windowMs: 60_000 } },
    ];
    expect((await l.consumeAll(items)).allowed).toBe(true);
    expect((await l.consumeAll(items)).allowed).toBe(false);
    const points = await kit.points();
    const count = (rule: string, outcome: string) =>
      sumOf(points, DECISIONS, { 'tses.ratelimit.rule': rule, 'tses.ratelimit.outcome': outcome });
    expect([count('otp-email', 'allowed'), count('otp-ip', 'allowed')]).toEqual([1, 1]);
    expect([count('otp-email', 'denied'), count('otp-ip', 'denied')]).toEqual([1, 0]);
    expect(sumOf(points, DURATION, { 'db.operation.name': 'consumeAll' })).toBe(2);
    await kit.shutdown();
  });

  it('inside an active trace, each store call is a client span of that trace; none holds a key', async () => {
    kit = otelTestKit();
    const l = limiter();
    const tracer = kit.tracerProvider.getTracer('test');
    const parent = tracer.startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await l.consume(`ip:${IP}`, { name: 'api', limit: 5, windowMs: 60_000 });
      await l.consume(`ip:${IP}`, { name: 'api', limit: 5, windowMs: 60_000 });
    });
    parent.end();
    const spans = kit.spans().filter((s) => s.name === 'ratelimit consume');
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.traceId).toBe(parent.spanContext().traceId);
      expect(s.parentSpanId).toBe(parent.spanContext().spanId);
      expect(s.attributes).toEqual({ 'db.system.name': 'redis', 'db.operation.name': 'consume' });
    }
    await kit.shutdown();
  });
});

describe('limiter telemetry: failure modes on an unreachable Redis', () => {
  let port: number;
  let kit: OtelTestKit;
  beforeAll(async () => {
    port = await freePort();
  });

  it.each([
    ['allow', 'failure_allow'],
    ['deny', 'failure_deny'],
    ['throw', 'error'],
  ] as const)('failureMode %s → outcome %s with error.type', async (failureMode, outcome) => {
    kit = otelTestKit();
    const client = connectRedis(`redis://127.0.0.1:${port}`);
    const events: RateLimitDecisionEvent[] = [];
    const l = new RateLimiter({
      redis: client,
      failureMode,
      timeoutMs: 100,
      telemetry: { meterProvider: kit.meterProvider },
      onDecision: (e) => events.push(e),
    });
    const rule = { name: 'signup', limit: 3, windowMs: 60_000 };
    const calls = await Promise.allSettled([
      l.consume('a', rule),
      l.consume('b', rule),
      l.consume('c', rule),
    ]);
    client.disconnect();
    expect(calls.map((c) => c.status)).toEqual(
      Array(3).fill(failureMode === 'throw' ? 'rejected' : 'fulfilled'),
    );
    const points = await kit.points();
    expect(
      sumOf(points, DECISIONS, { 'tses.ratelimit.rule': 'signup', 'tses.ratelimit.outcome': outcome }),
    ).toBe(3);
    expect(sumOf(points, DECISIONS)).toBe(3);
    expect(sumOf(points, DURATION, { 'error.type': RateLimitUnavailableError.name })).toBe(3);
    expect(events).toEqual(
      Array(3).fill({
        rule: 'signup',
        outcome,
        operation: 'consume',
        errorType: 'RateLimitUnavailableError',
      }),
    );
    await kit.shutdown();
  });
});

describe('limiter telemetry: options', () => {
  it('refuses an onDecision that is not a function', () => {
    expect(
      () => new RateLimiter({ store: new MemoryStore(), failureMode: 'throw', onDecision: 'log' as never }),
    ).toThrow(RateLimitConfigError);
  });
});

describe('limiter telemetry: the global API', () => {
  it('reports to the globally registered SDK by default, and nothing with telemetry: false', async () => {
    const kit = otelTestKit();
    metrics.setGlobalMeterProvider(kit.meterProvider);
    const client = connectRedis();
    try {
      const prefix = `test:${randomUUID()}:`;
      const rule = { name: 'global', limit: 1, windowMs: 60_000 };
      const on = new RateLimiter({ redis: client, keyPrefix: prefix, failureMode: 'throw' });
      const off = new RateLimiter({
        redis: client,
        keyPrefix: prefix,
        failureMode: 'throw',
        telemetry: false,
      });
      await on.consume('k', rule);
      await off.consume('k', rule);
      await off.consume('k', rule);
      await on.consume('k', rule);
      const points = await kit.points();
      expect(sumOf(points, DECISIONS, { 'tses.ratelimit.outcome': 'allowed' })).toBe(1);
      expect(sumOf(points, DECISIONS, { 'tses.ratelimit.outcome': 'denied' })).toBe(1);
      expect(points.find((p) => p.name === DECISIONS)?.scope).toBe('@tses/redis-ratelimit');
    } finally {
      metrics.disable();
      client.disconnect();
      await kit.shutdown();
    }
  });
});
