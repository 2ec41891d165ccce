// No secret reaches a log: canary secrets are sent in every place a client can put them, against
// the real listening server (full mode, the real worker), and neither app's log output, captured
// at trace level from the production logger factories, may contain any of them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';
import { captureApiLog, captureWorkerLog, type CapturedLog } from './helpers/log-capture.js';
import { rawRequest } from './helpers/raw-http.js';

const ERROR_LEVEL = 50;

/** One chunk of a chunked body: its size in hex, CRLF, the data (its CRLF comes from the join). */
function chunk(data: string): string {
  return `${Buffer.byteLength(data).toString(16)}\r\n${data}`;
}

function canary(place: string): string {
  return `CANARY${place}${randomUUID().replaceAll('-', '')}`;
}

describe('secrets never reach a log (full mode, API and worker)', () => {
  let h: FullHarness;
  let api: CapturedLog;
  let worker: CapturedLog;
  let port: number;
  const canaries: string[] = [];
  const secret = (place: string) => {
    const value = canary(place);
    canaries.push(value);
    return value;
  };

  beforeAll(async () => {
    api = captureApiLog();
    worker = captureWorkerLog();
    h = await startFullHarness({ logger: api.logger, workerLogger: worker.logger });
    port = Number(new URL(h.client.baseUrl).port);
  });
  afterAll(async () => {
    await h.close();
  });

  function expectNoCanary() {
    for (const value of canaries) {
      expect(api.text().includes(value), `API log contains ${value}`).toBe(false);
      expect(worker.text().includes(value), `worker log contains ${value}`).toBe(false);
    }
  }

  it('headers, cookies, JSON bodies and query strings', async () => {
    const bearer = secret('bearer');
    await h.client.get('/api/v1/auth/me', {
      headers: {
        authorization: `Bearer ${bearer}`,
        cookie: `session=${secret('cookie')}; refresh=${secret('cookie2')}`,
        'x-api-key': secret('apikey'),
        'x-refresh-token': secret('xrefresh'),
      },
    });
    await h.client.post('/api/v1/auth/otp/verify', { email: 'canary@example.com', otp: secret('otp') });
    await h.client.post('/api/v1/auth/token/refresh', { refresh: secret('refresh') });
    await h.client.post('/api/v1/auth/logout', { refresh: secret('logout') });
    await h.client.post('/api/v1/auth/otp/request', { email: 'canary@example.com', token: secret('extra') });
    await h.client.request('POST', '/api/v1/auth/otp/verify', {
      body: `{"email":"canary@example.com","otp":"${secret('broken')}"`,
      headers: { 'content-type': 'application/json' },
    });
    await h.client.get(`/api/v1/audit/logs?token=${secret('query')}&email=${secret('queryemail')}`);
    await h.client.get(`/api/v1/nope?access_token=${secret('query404')}`);
    await h.settle();
    expectNoCanary();
  });

  it('a real sign-in: the code and the tokens stay out of both logs', async () => {
    const email = 'signin.canary@example.com';
    const tokens = await h.signIn(email);
    const code = h.mailbox.codesFor(email).at(-1)!;
    const refreshed = await h.client.post('/api/v1/auth/token/refresh', { refresh: tokens.refresh });
    expect(refreshed.status).toBe(200);
    await h.client.post('/api/v1/auth/logout', { refresh: refreshed.body.refresh });
    await h.client.get('/api/v1/auth/me', { token: tokens.access });
    await h.settle();
    for (const value of [tokens.access, tokens.refresh, refreshed.body.access, refreshed.body.refresh]) {
      expect(api.text()).not.toContain(value);
      expect(worker.text()).not.toContain(value);
    }
    expect(api.text()).not.toContain(`"${code}"`);
    expect(worker.text()).not.toContain(`"${code}"`);
  });

  it('a malformed chunked body: a problem answer, one bounded line, no packet', async () => {
    const before = api.lines().length;
    const response = await rawRequest(
      port,
      [
        'POST /api/v1/auth/token/refresh HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${secret('chunkauth')}`,
        `Cookie: sid=${secret('chunkcookie')}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
        '',
        chunk(`{"refresh":"${secret('chunkbody')}"`),
        'ZZZZ',
        '',
      ].join('\r\n'),
    );
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 400,
      type: expect.stringContaining('bad-request'),
    });
    const lines = api.lines().slice(before);
    const faults = lines.filter((line) => typeof line['fault'] === 'string');
    expect(faults.length).toBeGreaterThanOrEqual(1);
    expect(faults[0]).toMatchObject({ fault: 'HPE_INVALID_CHUNK_SIZE', remote_address: '127.0.0.1' });
    expect(lines.every((line) => (line['level'] as number) < ERROR_LEVEL)).toBe(true);
    expectNoCanary();
  });

  it('an oversize header: 431, one bounded line', async () => {
    const before = api.lines().length;
    const response = await rawRequest(
      port,
      [
        'GET /api/v1/auth/me HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${secret('bigauth')}`,
        `X-Padding: ${'a'.repeat(20_000)}${secret('bigheader')}`,
        '',
        '',
      ].join('\r\n'),
    );
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['x-request-id']).toBeDefined();
    const lines = api.text().slice(0).split('\n').slice(before).filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line.length).toBeLessThan(2_048);
    expectNoCanary();
  });

  it('an aborted upload and a half-sent request: logged below error level, no packet', async () => {
    const before = api.lines().length;
    await rawRequest(
      port,
      [
        'POST /api/v1/auth/token/refresh HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${secret('abortauth')}`,
        'Content-Type: application/json',
        'Content-Length: 4000',
        '',
        `{"refresh":"${secret('abortbody')}`,
      ].join('\r\n'),
      { abort: true, timeoutMs: 500 },
    );
    // A client that half-closes mid-body: the parser sees the end in the middle of a message.
    const socket = await import('node:net').then((net) => net.connect(port, '127.0.0.1'));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => {});
    socket.end(
      [
        'POST /api/v1/auth/otp/verify HTTP/1.1',
        'Host: 127.0.0.1',
        `Cookie: sid=${secret('eofcookie')}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
        '',
        `40\r\n{"otp":"${secret('eofbody')}`,
      ].join('\r\n'),
    );
    socket.resume(); // read the answer, so the end of the connection is seen
    await new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = api.lines().slice(before);
    expect(lines.every((line) => (line['level'] as number) < ERROR_LEVEL)).toBe(true);
    expectNoCanary();
  });

  it('both loggers censor credential fields at any depth, drop raw packets and cap every value', () => {
    for (const log of [api, worker]) {
      const before = log.lines().length;
      const packet = Object.assign(new Error('Parse Error: Invalid character in chunk size'), {
        code: 'HPE_INVALID_CHUNK_SIZE',
        rawPacket: Buffer.from(`Authorization: Bearer ${secret('packet')}`),
      });
      log.logger.warn(
        {
          err: packet,
          request: { headers: { authorization: secret('deepauth'), 'set-cookie': [secret('setcookie')] } },
          a: { b: { c: { d: { refreshToken: secret('deep4'), otpCode: secret('deepotp') } } } },
          jobs: [{ data: { token: secret('inarray') } }],
          note: `header was Bearer ${secret('inline')}`,
          huge: 'x'.repeat(50_000),
        },
        `message with ${'y'.repeat(50_000)}`,
      );
      const [line] = log.lines().slice(before);
      expect(line).toMatchObject({ err: { type: 'Error', code: 'HPE_INVALID_CHUNK_SIZE' } });
      expect(JSON.stringify(line).length).toBeLessThan(8_192);
    }
    expectNoCanary();
  });

  it('nothing at error level in the API log for any of the above', () => {
    const errors = api.lines().filter((line) => (line['level'] as number) >= ERROR_LEVEL);
    expect(errors).toEqual([]);
    expectNoCanary();
  });
});
