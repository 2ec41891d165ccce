// What an Otp reports through OpenTelemetry (SDK in-memory reader and span exporter) and its
// `onOutcome` hook: exact counts by outcome after a known sequence of requests and verifications
// on real Redis and the Cluster, concurrent requests against the email limit, spans inside an
// active trace, and no email, IP or code in any attribute.
import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter, rateLimitClusterOptions, rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { Otp, OtpConfigError, RedisOtpStore, type OtpOutcomeEvent } from '../src/index.js';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import {
  attributeValues,
  enableContext,
  otelTestKit,
  sumOf,
  type OtelTestKit,
} from '../../../scripts/test-support/otel.mjs';
import { SECRET } from './helpers/backends.js';

const { redisUrl, clusterNodes } = testServiceUrls();
const EMAIL = 'bob.telemetry@example.com';
const IP = '198.51.100.42';
const REQUESTS = 'tses.otp.requests';
const VERIFICATIONS = 'tses.otp.verifications';

const connections: [string, () => Redis | Cluster][] = [
  ['standalone Redis', () => new Redis(redisUrl, { ...rateLimitRedisOptions })],
  [
    'Redis Cluster',
    () =>
      new Cluster(
        clusterNodes.split(',').map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })),
        { ...rateLimitClusterOptions },
      ),
  ],
];

describe.each(connections)('otp telemetry on %s', (_name, connect) => {
  let client: Redis | Cluster;
  let kit: OtelTestKit;
  beforeAll(() => {
    enableContext();
    client = connect();
  });
  afterAll(() => client.disconnect());

  const make = (onOutcome?: (e: OtpOutcomeEvent) => void) =>
    new Otp({
      serverSecret: SECRET,
      store: new RedisOtpStore(client),
      limiter: new RateLimiter({ redis: client, keyPrefix: '', failureMode: 'throw', telemetry: false }),
      keyPrefix: `test:${randomUUID()}:`,
      settings: { emailRequestLimit: 3, maxFailures: 2 },
      telemetry: { meterProvider: kit.meterProvider, tracerProvider: kit.tracerProvider },
      ...(onOutcome === undefined ? {} : { onOutcome }),
    });

  it('counts each outcome exactly after a known sequence; no email, IP or code in attributes', async () => {
    kit = otelTestKit();
    const events: OtpOutcomeEvent[] = [];
    const otp = make((e) => events.push(e));
    // 10 at once against 3 per email: exactly 3 issued, 7 rate limited by the email's limit.
    const requested = await Promise.all(
      Array.from({ length: 10 }, () => otp.request({ email: EMAIL, ip: IP })),
    );
    const codes = requested.flatMap((r) => (r.status === 'issued' ? [r.code] : []));
    expect(codes).toHaveLength(3);
    await otp.request({ email: 'not an email', ip: IP });
    await expect(otp.request({ email: EMAIL, ip: 'nope' })).rejects.toThrow();
    const latest = codes.at(-1)!;
    const wrong = latest === '000000' ? '000001' : '000000';
    await otp.verify({ email: EMAIL, otp: wrong }); // invalid, 1 left
    await otp.verify({ email: EMAIL, otp: wrong }); // locked
    await otp.verify({ email: EMAIL, otp: latest }); // locked still
    const other = `carol-${randomUUID()}@example.com`;
    const issued = await otp.request({ email: other, ip: '198.51.100.43' });
    if (issued.status !== 'issued') throw new Error('expected issued');
    expect((await otp.redeem({ email: other, otp: issued.code }, async () => 'session')).status).toBe(
      'verified',
    );
    expect((await otp.verify({ email: other, otp: issued.code })).status).toBe('used');

    const points = await kit.points();
    const requests = (outcome: string, extra: Record<string, string> = {}) =>
      sumOf(points, REQUESTS, { 'tses.otp.outcome': outcome, ...extra });
    expect(requests('issued')).toBe(4);
    expect(requests('rate_limited', { 'tses.otp.scope': 'email' })).toBe(7);
    expect(requests('rate_limited', { 'tses.otp.scope': 'ip' })).toBe(0);
    expect(requests('invalid_email')).toBe(1);
    expect(requests('error', { 'error.type': 'InvalidIpError' })).toBe(1);
    expect(sumOf(points, REQUESTS)).toBe(13);
    const verifications = (operation: string, outcome: string) =>
      sumOf(points, VERIFICATIONS, { 'tses.otp.operation': operation, 'tses.otp.outcome': outcome });
    expect(verifications('verify', 'invalid')).toBe(1);
    expect(verifications('verify', 'locked')).toBe(2);
    expect(verifications('redeem', 'verified')).toBe(1);
    expect(verifications('verify', 'used')).toBe(1);
    expect(sumOf(points, VERIFICATIONS)).toBe(5);

    expect(events.filter((e) => e.outcome === 'rate_limited')).toEqual(
      Array(7).fill({ operation: 'request', outcome: 'rate_limited', scope: 'email' }),
    );
    expect(events).toHaveLength(18);
    const leaked = attributeValues(points, kit.spans()).filter((v) =>
      [EMAIL, IP, other, ...codes, issued.code, 'test:'].some((secret) => v.includes(secret)),
    );
    expect(leaked).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(EMAIL);
    await kit.shutdown();
  });

  it('inside an active trace, saveCode and verifyCode are client spans of it', async () => {
    kit = otelTestKit();
    const otp = make();
    const parent = kit.tracerProvider.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      const r = await otp.request({ email: EMAIL, ip: IP });
      if (r.status !== 'issued') throw new Error('expected issued');
      await otp.verify({ email: EMAIL, otp: r.code });
    });
    parent.end();
    await otp.request({ email: EMAIL, ip: IP }); // outside the trace: no span
    const spans = kit.spans().filter((s) => s.name.startsWith('otp '));
    expect(spans.map((s) => s.name)).toEqual(['otp saveCode', 'otp verifyCode']);
    for (const s of spans) expect(s.parentSpanId).toBe(parent.spanContext().spanId);
    await kit.shutdown();
  });
});

describe('otp telemetry options', () => {
  it('refuses an onOutcome that is not a function', () => {
    const client = new Redis(redisUrl, { ...rateLimitRedisOptions, lazyConnect: true });
    expect(
      () =>
        new Otp({
          serverSecret: SECRET,
          store: new RedisOtpStore(client),
          limiter: new RateLimiter({ redis: client, failureMode: 'throw' }),
          onOutcome: 'yes' as never,
        }),
    ).toThrow(OtpConfigError);
    client.disconnect();
  });
});
