// Tracing on the full stack (real Redis, PostgreSQL, BullMQ worker), spans kept in memory: a
// request's server span continues the caller's `traceparent`, the libraries' store calls are its
// children, and the jobs it queued continue the same trace in the worker (producer and consumer
// spans, the audit write inside). No email or code in any span attribute.
import { randomBytes } from 'node:crypto';
import { registerTracing, type Tracing } from '@tses/app-runtime';
import { jobTracing } from '@tses/jobs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const EMAIL = 'traced@example.com';

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

  it('continues traceparent through the API, the limiter, the OTP store and both jobs', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const response = await h.client.post(
      '/api/v1/auth/otp/request',
      { email: EMAIL },
      { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } },
    );
    expect(response.status).toBe(202);
    await h.waitForCompleted('email', 1);
    await h.waitForCompleted('audit', 1);
    const inTrace = async () => {
      for (let i = 0; i < 100; i++) {
        const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
        if (spans.filter((s) => s.kind === 4).length >= 2 && spans.some((s) => s.name === 'audit write')) {
          return spans;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the jobs never reported their spans');
    };
    const spans = await inTrace();
    const server = spans.find((s) => s.kind === 1);
    expect(server?.name).toBe('POST /api/v1/auth/otp/request');
    expect(server?.parentSpanContext?.spanId).toBe(callerSpan);
    expect(server?.attributes).toMatchObject({
      'http.route': '/api/v1/auth/otp/request',
      'http.response.status_code': 202,
    });
    const serverId = server!.spanContext().spanId;
    const named = (name: string) => spans.filter((s) => s.name === name);
    expect(named('ratelimit consumeAll').map((s) => s.parentSpanContext?.spanId)).toEqual([serverId]);
    expect(named('otp saveCode').map((s) => s.parentSpanContext?.spanId)).toEqual([serverId]);
    const producers = spans.filter((s) => s.kind === 3);
    const consumers = spans.filter((s) => s.kind === 4);
    expect(producers.length).toBeGreaterThanOrEqual(2); // the email job and the audit job
    expect(consumers.length).toBeGreaterThanOrEqual(2);
    // The worker's audit write runs inside the audit job's consumer span.
    const write = named('audit write')[0]!;
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    expect(ids.has(write.parentSpanContext!.spanId)).toBe(true);
    const code = h.mailbox.codesFor(EMAIL)[0]!;
    const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
    expect(values.filter((v) => v.includes(EMAIL) || v.includes(code))).toEqual([]);
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
