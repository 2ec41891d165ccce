// Every error path of the HTTP layer: each answer is application/problem+json and documented.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const REQUEST = '/api/v1/auth/otp/request';
const VERIFY = '/api/v1/auth/otp/verify';

describe('HTTP errors (full mode)', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      overrideDeps: (deps) => ({
        ...deps,
        users: {
          recordLogin: (email) => deps.users.recordLogin(email),
          findById: async () => {
            throw new Error('secret internal detail: connection string postgres://admin:hunter2@db');
          },
        },
      }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(JSON.stringify(response.body)).not.toMatch(/stack|at .*\.ts:\d+/);
  }

  it('malformed JSON → 400 without echoing the parser message', async () => {
    const response = await h.client.request('POST', REQUEST, {
      body: '{"email": "a@example.com",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400);
    expect(response.body.type).toContain('malformed-json');
    expect(response.text).not.toMatch(/Unexpected|position|JSON\.parse/);
  });

  it('a JSON scalar or array body → 400', async () => {
    for (const body of ['"just a string"', '42', '[1,2]', 'null']) {
      const response = await h.client.request('POST', REQUEST, {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(response, 400);
    }
  });

  it('wrong types → 400 with per-field errors', async () => {
    const response = await h.client.post(VERIFY, { email: 42, otp: ['1'] });
    expectProblem(response, 400);
    expect(response.body.type).toContain('validation-error');
    const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'otp']);
    expect(response.body.errors[0].in).toBe('body');
  });

  it('unknown fields → 400 naming each', async () => {
    const response = await h.client.post(REQUEST, { email: 'a@example.com', admin: true, role: 'root' });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { in: 'body', field: 'admin', message: 'Unknown field.' },
        { in: 'body', field: 'role', message: 'Unknown field.' },
      ]),
    );
  });

  it('missing fields and an empty body → 400', async () => {
    expectProblem(await h.client.post(VERIFY, { email: 'a@example.com' }), 400);
    const empty = await h.client.request('POST', REQUEST, {
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(empty, 400);
    expect(empty.body.errors[0]).toMatchObject({ in: 'body', field: '' });
  });

  it('an invalid address → 400 on the email field', async () => {
    for (const email of ['not-an-email', 'a\u200b@example.com', 'a@b']) {
      const response = await h.client.post(REQUEST, { email });
      expectProblem(response, 400);
      expect(response.body.errors[0]).toMatchObject({ in: 'body', field: 'email' });
    }
  });

  it('a body over 16 kB → 413 (declared length and chunked)', async () => {
    const big = JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(17 * 1024) });
    const declared = await h.client.request('POST', REQUEST, {
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(declared, 413);
    expect(declared.body.limit_bytes).toBe(16 * 1024);

    // Chunked: no Content-Length, so the parser's own limit must stop it.
    const url = new URL(REQUEST, h.client.baseUrl);
    const chunked = await new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] ?? '' }),
          );
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.type).toBe('application/problem+json');
    h.validator.validate({
      method: 'POST',
      path: REQUEST,
      status: 413,
      headers: new Headers({ 'content-type': chunked.type }),
      body: JSON.parse(chunked.body),
    });
  });

  it('a non-JSON content type → 415', async () => {
    const text = await h.client.request('POST', REQUEST, {
      body: 'email=a@example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(text, 415);
    const none = await h.client.request('POST', REQUEST, {
      body: '{"email":"a@example.com"}',
      headers: { 'content-type': '' },
    });
    expect([415]).toContain(none.status);
  });

  it('unknown route → 404; wrong method → 405 with Allow', async () => {
    const missing = await h.client.get('/api/v1/nope');
    expectProblem(missing, 404);
    const wrong = await h.client.request('DELETE', REQUEST);
    expectProblem(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const get = await h.client.get(VERIFY);
    expectProblem(get, 405);
    const postToGet = await h.client.post('/healthz', { a: 1 });
    expectProblem(postToGet, 405);
    expect(postToGet.headers.get('allow')).toContain('GET');
  });

  it('an unknown error → 500 without its message', async () => {
    const { access } = await h.signIn('boom@example.com');
    const response = await h.client.get('/api/v1/auth/me', { token: access });
    expectProblem(response, 500);
    expect(response.text).not.toContain('secret');
    expect(response.text).not.toContain('hunter2');
    expect(response.body.detail).toBe('An unexpected error occurred.');
  });

  it('accepts a trailing slash on every route', async () => {
    const { access, refresh } = await h.signIn('slash@example.com');
    expect((await h.client.get('/healthz/')).status).toBe(200);
    expect((await h.client.get('/readyz/')).status).toBe(200);
    expect((await h.client.get('/api/schema/')).status).toBe(200);
    expect((await h.client.get('/api/docs/')).status).toBe(200);
    expect((await h.client.get('/api/v1/auth/status/', { token: access })).body).toEqual({
      authenticated: true,
    });
    expect((await h.client.get('/api/v1/audit/logs/', { token: access })).status).toBe(200);
    expect((await h.client.post(`${REQUEST}/`, { email: 'slash2@example.com' })).status).toBe(202);
    expect((await h.client.post(`${VERIFY}/`, { email: 'slash2@example.com', otp: '000000' })).status).toBe(
      400,
    );
    const rotated = await h.client.post('/api/v1/auth/token/refresh/', { refresh });
    expect(rotated.status).toBe(200);
    expect((await h.client.post('/api/v1/auth/logout/', { refresh: rotated.body.refresh })).status).toBe(204);
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    const kept = await h.client.get('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await h.client.get('/api/v1/nope', {
      headers: { 'x-request-id': 'bad id\u0001'.replace('\u0001', '') + '<script>' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.request_id).toBe(replaced.headers.get('x-request-id'));
  });

  it('survives hostile input without crashing', async () => {
    const inputs = [
      { email: 'a'.repeat(400) + '@example.com' },
      { email: '\u0000@example.com' },
      { email: 'a@example.com', otp: '1'.repeat(64) },
      { __proto__: { admin: true }, email: 'p@example.com' },
    ];
    for (const json of inputs) {
      const response = await h.client.post(VERIFY, json);
      expect(response.status).toBe(400);
    }
    expect((await h.client.get('/healthz')).status).toBe(200);
  });
});
