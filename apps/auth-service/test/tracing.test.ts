// Tracing on the full stack (real Redis, PostgreSQL, BullMQ worker), spans kept in memory: a
// request's server span continues the caller's `traceparent`, the libraries' store calls are its
// children, and the `otp_issued` job it queued continues in the worker: the job's producer and
// consumer spans, and the request's own item span (its parent is the request, whichever trace the
// batched job joined) with the audit write inside. No email, code or IP in any span attribute.
import { randomBytes } from 'node:crypto';
import { registerTracing, type Tracing } from '@tses/app-runtime';
import { jobTracing } from '@tses/jobs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const EMAIL = 'traced@example.com';
const SERVER = 1;
const PRODUCER = 3;
const CONSUMER = 4;

function traceparent() {
  const traceId = randomBytes(16).toString('hex');
  const callerSpan = randomBytes(8).toString('hex');
  return { traceId, callerSpan, header: `00-${traceId}-${callerSpan}-01` };
}

describe('tracing: a request and the jobs it queued share one trace', () => {
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;
  let h: FullHarness;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    // Registered before the services are built: the libraries take the tracer provider then.
    tracing = registerTracing({
      serviceName: 'tses-test',
      spanProcessor: new SimpleSpanProcessor({ exporter }),
    });
    h = await startFullHarness({
      jobTelemetry: jobTracing(),
      overrideDeps: (deps) => ({ ...deps, tracer: tracing.tracer }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await tracing?.shutdown();
  });

  /** The finished spans of `traceId`, once `done` holds for them (the worker reports later). */
  async function spansOf(traceId: string, done: (spans: ReadableSpan[]) => boolean) {
    for (let i = 0; i < 200; i++) {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      if (done(spans)) return spans;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`trace ${traceId} never completed`);
  }
  async function waitForCode(email: string) {
    for (let i = 0; i < 200 && h.mailbox.codesFor(email).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return h.mailbox.codesFor(email)[0]!;
  }
  const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
  const hasItemAndWrite = (spans: ReadableSpan[]) =>
    named(spans, 'otp_issued item').length === 1 && named(spans, 'audit write').length === 1;
  /** No email, code or IP in any attribute of `spans`. */
  function expectNoPersonalData(spans: ReadableSpan[], emails: string[]) {
    const codes = emails.flatMap((e) => h.mailbox.codesFor(e));
    expect(codes.length).toBe(emails.length);
    const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
    const leaks = values.filter(
      (v) => emails.some((e) => v.includes(e)) || codes.some((c) => v.includes(c)) || v.includes('127.0.0.1'),
    );
    expect(leaks).toEqual([]);
  }

  it('continues traceparent through the API, the limiter, the OTP store and the otp_issued job', async () => {
    const { traceId, callerSpan, header } = traceparent();
    const response = await h.client.post(
      '/api/v1/auth/otp/request',
      { email: EMAIL },
      { headers: { traceparent: header } },
    );
    expect(response.status).toBe(202);
    await h.waitForCompleted('email', 1);
    await h.waitForCompleted('audit', 1);
    const spans = await spansOf(
      traceId,
      (all) => hasItemAndWrite(all) && all.some((s) => s.kind === CONSUMER),
    );
    const server = spans.find((s) => s.kind === SERVER);
    expect(server?.name).toBe('POST /api/v1/auth/otp/request');
    expect(server?.parentSpanContext?.spanId).toBe(callerSpan);
    expect(server?.attributes).toMatchObject({
      'http.route': '/api/v1/auth/otp/request',
      'http.response.status_code': 202,
    });
    const serverId = server!.spanContext().spanId;
    expect(named(spans, 'ratelimit consumeAll').map((s) => s.parentSpanContext?.spanId)).toEqual([serverId]);
    expect(named(spans, 'otp saveCode').map((s) => s.parentSpanContext?.spanId)).toEqual([serverId]);
    // Alone, the request opened its batch: the one job's producer and consumer spans are in its trace.
    const producers = spans.filter((s) => s.kind === PRODUCER);
    const consumers = spans.filter((s) => s.kind === CONSUMER);
    expect(producers.length).toBe(1);
    expect(consumers.length).toBe(1);
    expect(consumers[0]!.name).toContain('otp-issued');
    // The item span: a child of the request's server span, linked to the job's consumer span,
    // with the audit write inside it.
    const [item] = named(spans, 'otp_issued item');
    expect(item!.parentSpanContext?.spanId).toBe(serverId);
    expect(item!.links.map((l) => l.context.spanId)).toEqual([consumers[0]!.spanContext().spanId]);
    expect(item!.attributes).toMatchObject({
      'messaging.destination.name': 'otp-issued',
      'tses.otp_issued.email': 'sent',
    });
    expect(item!.status.code).not.toBe(2);
    const [write] = named(spans, 'audit write');
    expect(write!.parentSpanContext?.spanId).toBe(item!.spanContext().spanId);
    expectNoPersonalData(spans, [EMAIL]);
  });

  it('concurrent traced requests share one job, and each trace holds its own item span', async () => {
    const n = 8;
    const requests = Array.from({ length: n }, (_, i) => ({
      email: `traced-${i}-${randomBytes(4).toString('hex')}@example.com`,
      ...traceparent(),
    }));
    const emailsBefore = h.mailbox.lines.length;
    const responses = await Promise.all(
      requests.map((r) =>
        h.client.post('/api/v1/auth/otp/request', { email: r.email }, { headers: { traceparent: r.header } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(n).fill(202));
    await h.waitForCompleted('email', emailsBefore + n);
    const traces = await Promise.all(requests.map((r) => spansOf(r.traceId, hasItemAndWrite)));
    const consumerIds = new Set<string>();
    for (const [i, spans] of traces.entries()) {
      const server = spans.find((s) => s.kind === SERVER)!;
      expect(server.parentSpanContext?.spanId).toBe(requests[i]!.callerSpan);
      const [item] = named(spans, 'otp_issued item');
      expect(item!.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(named(spans, 'audit write')[0]!.parentSpanContext?.spanId).toBe(item!.spanContext().spanId);
      for (const link of item!.links) consumerIds.add(link.context.spanId);
    }
    // Fewer jobs than requests: items of one job link to that job's one consumer span, which sits
    // in the trace of the request that opened the batch only.
    const consumers = exporter.getFinishedSpans().filter((s) => consumerIds.has(s.spanContext().spanId));
    expect(consumers.length).toBe(consumerIds.size);
    expect(consumerIds.size).toBeLessThan(n);
    const consumerTraces = new Set(consumers.map((s) => s.spanContext().traceId));
    expect([...consumerTraces].every((t) => requests.some((r) => r.traceId === t))).toBe(true);
    expectNoPersonalData(
      traces.flat(),
      requests.map((r) => r.email),
    );
  });

  it('a traced verify: its audit_events write runs in an item span of its own trace', async () => {
    const email = `traced-verify-${randomBytes(4).toString('hex')}@example.com`;
    expect((await h.client.post('/api/v1/auth/otp/request', { email })).status).toBe(202);
    const code = await waitForCode(email);
    const { traceId, header } = traceparent();
    const verified = await h.client.post(
      '/api/v1/auth/otp/verify',
      { email, otp: code },
      { headers: { traceparent: header } },
    );
    expect(verified.status).toBe(200);
    const spans = await spansOf(
      traceId,
      (all) => named(all, 'audit_events item').length === 1 && named(all, 'audit write').length === 1,
    );
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server.name).toBe('POST /api/v1/auth/otp/verify');
    const [item] = named(spans, 'audit_events item');
    expect(item!.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(item!.attributes['messaging.destination.name']).toBe('audit-events');
    expect(item!.links).toHaveLength(1);
    expect(named(spans, 'audit write')[0]!.parentSpanContext?.spanId).toBe(item!.spanContext().spanId);
    expectNoPersonalData(spans, [email]);
  });

  it('a request without traceparent starts a trace of its own', async () => {
    const before = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
    expect((await h.client.get('/api/v1/auth/status')).status).toBe(200);
    const fresh = exporter
      .getFinishedSpans()
      .filter((s) => s.kind === 1 && !before.has(s.spanContext().traceId));
    expect(fresh.map((s) => [s.name, s.parentSpanContext?.spanId])).toEqual([
      ['GET /api/v1/auth/status', undefined],
    ]);
  });
});

describe('OTEL_* in the env loader', () => {
  it('is off by default; refuses an unknown exporter or a ratio out of range', async () => {
    const { loadConfig } = await import('../src/index.js');
    expect(loadConfig({}).OTEL_TRACES_EXPORTER).toBe('none');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).OTEL_TRACES_EXPORTER).toBe('otlp');
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /OTEL_TRACES_EXPORTER: must be one of none, otlp, console/,
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG: must be a ratio/,
    );
  });
});
