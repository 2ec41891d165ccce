// What the PostgreSQL audit store reports through OpenTelemetry (SDK in-memory reader and span
// exporter) and its `onOutcome` hook: exact write counts by result after a known sequence on a
// real database (concurrent duplicates included), query durations, spans inside an active trace,
// and no email or IP in any attribute.
import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditConfigError, createPostgresAuditStore, type AuditOutcomeEvent } from '../src/index.js';
import { attributeValues, enableContext, otelTestKit, sumOf } from '../../../scripts/test-support/otel.mjs';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const EMAIL = 'dave.telemetry@example.com';
const IP = '192.0.2.99';

let db: TestDatabase;
beforeAll(async () => {
  enableContext();
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('audit store telemetry', () => {
  it('counts inserted and duplicate writes exactly, times queries, leaks no personal data', async () => {
    const kit = otelTestKit();
    const events: AuditOutcomeEvent[] = [];
    const store = createPostgresAuditStore({
      pool: db.pool,
      schema: db.schema,
      telemetry: { meterProvider: kit.meterProvider, tracerProvider: kit.tracerProvider },
      onOutcome: (e) => events.push(e),
    });
    const event = (id: string) => ({
      id,
      event: 'OTP_VERIFIED',
      email: EMAIL,
      ip: IP,
      occurredAt: new Date(),
    });
    // 20 writes at once of 5 ids (a retried job, four times over): exactly 5 inserted, 15 duplicates.
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.write(event(ids[i % 5]!))));
    expect(results.filter((r) => r.inserted)).toHaveLength(5);
    await store.write({ ...event(randomUUID()), event: 'OTP_LOCKED' });
    await expect(store.write({ ...event(randomUUID()), event: 'not an event' })).rejects.toThrow();
    await store.queryPage({ email: EMAIL });
    await store.queryCursor({ event: 'OTP_LOCKED' });

    const points = await kit.points();
    const writes = (match: Record<string, string>) => sumOf(points, 'tses.audit.writes', match);
    expect(writes({ 'tses.audit.event': 'OTP_VERIFIED', 'tses.audit.result': 'inserted' })).toBe(5);
    expect(writes({ 'tses.audit.event': 'OTP_VERIFIED', 'tses.audit.result': 'duplicate' })).toBe(15);
    expect(writes({ 'tses.audit.event': 'OTP_LOCKED', 'tses.audit.result': 'inserted' })).toBe(1);
    expect(writes({ 'tses.audit.event': 'invalid', 'tses.audit.result': 'error' })).toBe(1);
    expect(writes({})).toBe(22);
    const duration = (operation: string) =>
      sumOf(points, 'db.client.operation.duration', {
        'db.system.name': 'postgresql',
        'tses.audit.operation': operation,
      });
    expect([duration('write'), duration('queryPage'), duration('queryCursor')]).toEqual([22, 1, 1]);
    expect(events.map((e) => e.outcome).sort()).toEqual(
      [...Array(6).fill('inserted'), ...Array(15).fill('duplicate'), 'error', 'ok', 'ok'].sort(),
    );
    expect(events.find((e) => e.outcome === 'error')?.errorType).toBe('AuditValidationError');
    expect(kit.spans()).toEqual([]);
    expect(attributeValues(points, []).filter((v) => v.includes(EMAIL) || v.includes(IP))).toEqual([]);
    await kit.shutdown();
  });

  it('refuses an onOutcome that is not a function', () => {
    expect(() => createPostgresAuditStore({ pool: db.pool, onOutcome: 'log' as never })).toThrow(
      AuditConfigError,
    );
  });

  it('inside an active trace, each store call is a client span of it', async () => {
    const kit = otelTestKit();
    const store = createPostgresAuditStore({
      pool: db.pool,
      schema: db.schema,
      telemetry: { meterProvider: kit.meterProvider, tracerProvider: kit.tracerProvider },
    });
    const parent = kit.tracerProvider.getTracer('test').startSpan('job');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await store.write({
        id: randomUUID(),
        event: 'OTP_REQUESTED',
        email: EMAIL,
        ip: IP,
        occurredAt: new Date(),
      });
      await store.queryPage({ email: EMAIL });
    });
    parent.end();
    const spans = kit.spans().filter((s) => s.name.startsWith('audit '));
    expect(spans.map((s) => [s.name, s.attributes['db.operation.name']])).toEqual([
      ['audit write', 'INSERT'],
      ['audit queryPage', 'SELECT'],
    ]);
    for (const s of spans) expect(s.parentSpanId).toBe(parent.spanContext().spanId);
    expect(attributeValues([], spans).filter((v) => v.includes(EMAIL) || v.includes(IP))).toEqual([]);
    await kit.shutdown();
  });
});
