// GET /metrics: exact counter values after a known sequence of requests (concurrent included) on
// the full stack (real Redis, PostgreSQL, BullMQ worker): HTTP requests by route template and
// status, the limiter's and the OTP library's outcomes; the endpoint refuses a scraper without the
// token; the separate metrics port; and the METRICS_* rules of the env loader.
import { randomBytes } from 'node:crypto';
import { createMetricsPipeline, startMetricsServer, type MetricsPipeline } from '@tses/app-runtime';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';
import { freePort } from '../../../scripts/test-support/ports.mjs';
import { parsePrometheus, sampleSum } from '../../../scripts/test-support/prometheus.mjs';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const TOKEN = randomBytes(32).toString('base64url');
const REQUEST = '/api/v1/auth/otp/request';
// The exporter keeps OpenTelemetry's names (dots → underscores) and adds no unit suffix.
const HTTP = 'http_server_request_duration_count';

describe('GET /metrics on the app port (full mode)', () => {
  let pipeline: MetricsPipeline;
  let h: FullHarness;
  const scrape = async (token = TOKEN) => {
    const response = await fetch(`${h.client.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await response.text());
  };

  beforeAll(async () => {
    // Registered globally before the services are built: the libraries report to it.
    pipeline = createMetricsPipeline();
    h = await startFullHarness({
      otpSettings: { emailRequestLimit: 5 },
      overrideDeps: (deps) => ({
        ...deps,
        metrics: {
          meter: pipeline.meter('@tses/auth-service'),
          endpoint: { render: () => pipeline.render(), token: TOKEN },
        },
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await pipeline?.shutdown();
  });

  it('counts 20 concurrent code requests against a limit of 5 exactly: 5 × 202, 15 × 429', async () => {
    const email = 'metrics-burst@example.com';
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.client.post(REQUEST, { email })));
    expect(responses.filter((r) => r.status === 202)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(15);
    await h.client.post(REQUEST, { email: 'not-an-email' }); // 400
    await h.client.get('/api/v1/audit/logs'); // 401
    await h.client.get('/api/v1/audit/logs'); // 401
    await fetch(`${h.client.baseUrl}/no/such/route/${randomBytes(4).toString('hex')}`); // 404

    const samples = await scrape();
    const http = (route: string, status: string, method = 'GET') =>
      sampleSum(samples, HTTP, {
        http_request_method: method,
        http_route: route,
        http_response_status_code: status,
      });
    expect(http(REQUEST, '202', 'POST')).toBe(5);
    expect(http(REQUEST, '429', 'POST')).toBe(15);
    expect(http(REQUEST, '400', 'POST')).toBe(1);
    expect(http('/api/v1/audit/logs', '401')).toBe(2);
    expect(http('unmatched', '404')).toBe(1);
    // The raw path of the 404 is no label value anywhere.
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.startsWith('/no/such')))).toBe(false);

    const otp = (outcome: string, extra: Record<string, string> = {}) =>
      sampleSum(samples, 'tses_otp_requests_total', { tses_otp_outcome: outcome, ...extra });
    expect(otp('issued')).toBe(5);
    expect(otp('rate_limited', { tses_otp_scope: 'email' })).toBe(15);
    expect(otp('invalid_email')).toBe(1);
    const decisions = (rule: string, outcome: string) =>
      sampleSum(samples, 'tses_ratelimit_decisions_total', {
        tses_ratelimit_rule: rule,
        tses_ratelimit_outcome: outcome,
      });
    expect(decisions('otp-email', 'allowed')).toBe(5);
    expect(decisions('otp-email', 'denied')).toBe(15);
    expect(decisions('otp-ip', 'allowed')).toBe(5);
    expect(
      sampleSum(samples, 'tses_ratelimit_store_duration_count', { db_operation_name: 'consumeAll' }),
    ).toBe(20);
    expect(sampleSum(samples, 'process_cpu_time_total')).toBeGreaterThan(0);
    expect(sampleSum(samples, 'v8js_memory_heap_used')).toBeGreaterThan(0);
    // No email, IP or code in any label.
    const labels = samples.flatMap((s) => Object.values(s.labels));
    expect(labels.filter((v) => v.includes('example.com') || v.includes('127.0.0.1'))).toEqual([]);
  });

  it('refuses a scraper without the token, or with a wrong one (401 problem), counted as such', async () => {
    const anonymous = await fetch(`${h.client.baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await anonymous.text()).not.toContain('tses_');
    const wrong = await fetch(`${h.client.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    const samples = await scrape();
    expect(sampleSum(samples, HTTP, { http_route: '/metrics', http_response_status_code: '401' })).toBe(2);
  });
});

describe('GET /metrics on a port of its own', () => {
  let pipeline: MetricsPipeline;
  let open: Server;
  let guarded: Server;
  let openUrl: string;
  let guardedUrl: string;
  beforeAll(async () => {
    pipeline = createMetricsPipeline({ global: false });
    pipeline.meter('test').createCounter('tses.test.things').add(3, { kind: 'x' });
    const [a, b] = [await freePort(), await freePort()];
    open = await startMetricsServer({ pipeline, host: '127.0.0.1', port: a });
    guarded = await startMetricsServer({ pipeline, host: '127.0.0.1', port: b, token: TOKEN });
    openUrl = `http://127.0.0.1:${a}`;
    guardedUrl = `http://127.0.0.1:${b}`;
  });
  afterAll(async () => {
    await Promise.all([open, guarded].map((s) => new Promise((resolve) => s?.close(resolve))));
    await pipeline?.shutdown();
  });

  it('serves the text on loopback; 404 elsewhere, 405 for POST', async () => {
    const ok = await fetch(`${openUrl}/metrics`);
    expect(ok.status).toBe(200);
    expect(sampleSum(parsePrometheus(await ok.text()), 'tses_test_things_total', { kind: 'x' })).toBe(3);
    expect((await fetch(`${openUrl}/`)).status).toBe(404);
    expect((await fetch(`${openUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('with a token: 401 anonymous or wrong, 200 with it', async () => {
    expect((await fetch(`${guardedUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${guardedUrl}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${guardedUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });
});

describe('METRICS_* in the env loader', () => {
  it('refuses a metrics port on a public address without a token, and a short token', () => {
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_TOKEN: is required when METRICS_HOST is not a loopback address/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 32 bytes/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
  });

  it('accepts loopback without a token, a public address with one, a token alone', () => {
    expect(loadConfig({ METRICS_PORT: '9464' })).toMatchObject({
      METRICS_PORT: 9464,
      METRICS_HOST: '127.0.0.1',
    });
    expect(
      loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN }).METRICS_TOKEN,
    ).toBe(TOKEN);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).METRICS_PORT).toBeUndefined();
  });
});
