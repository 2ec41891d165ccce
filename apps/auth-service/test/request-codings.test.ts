// Codings and methods the service does not implement are refused as the client's fault: never a
// 5xx, never an error-level log line with a stack.
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness, type EmbeddedHarness } from './helpers/harness.js';
import { captureApiLog, type CapturedLog } from './helpers/log-capture.js';
import { rawRequest } from './helpers/raw-http.js';

const REQUEST = '/api/v1/auth/otp/request';
const ERROR_LEVEL = 50;

/** A request with any method (fetch refuses TRACE and friends), read in full. */
function send(
  baseUrl: string,
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('content codings, transfer codings and methods (embedded mode)', () => {
  let h: EmbeddedHarness;
  let log: CapturedLog;
  let port: number;
  beforeAll(async () => {
    log = captureApiLog();
    h = await startEmbeddedHarness({ logger: log.logger });
    port = Number(new URL(h.client.baseUrl).port);
  });
  afterAll(async () => {
    await h.close();
  });

  it('a compressed or otherwise encoded body → 415 with Accept-Encoding: identity (RFC 9110 §15.5.16)', async () => {
    const json = JSON.stringify({ email: 'coded@example.com' });
    const bodies: Array<[string, string | Uint8Array]> = [
      ['gzip', json], // a plain body that claims gzip: zlib's Z_DATA_ERROR before
      ['gzip', gzipSync(json)], // a real gzip body: refused too, never inflated (zip bombs)
      ['deflate', json],
      ['br', json],
      ['x-unknown', json],
      ['gzip, identity', json],
    ];
    for (const [coding, body] of bodies) {
      const response = await h.client.request('POST', REQUEST, {
        body,
        headers: { 'content-type': 'application/json', 'content-encoding': coding },
      });
      expect(response.status, coding).toBe(415);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('accept-encoding')).toBe('identity');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      expect(response.body.type).toContain('unsupported-content-encoding');
    }
    // `identity` is no coding at all: accepted.
    const identity = await h.client.request('POST', REQUEST, {
      body: json,
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(202);
  });

  it('a transfer coding other than chunked → 501, never passed through undecoded', async () => {
    const body = JSON.stringify({ email: 'te@example.com' });
    const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    for (const coding of ['gzip, chunked', 'deflate, chunked', 'x-custom, chunked']) {
      const response = await rawRequest(
        port,
        [
          `POST ${REQUEST} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Transfer-Encoding: ${coding}`,
          'Connection: close',
          '',
          chunked,
        ].join('\r\n'),
      );
      expect(response.status, coding).toBe(501);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['x-request-id']).toBeTruthy();
      expect(JSON.parse(response.body)).toMatchObject({
        type: expect.stringContaining('unsupported-transfer-coding'),
      });
    }
    const plain = await rawRequest(
      port,
      [
        `POST ${REQUEST} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
        'Connection: close',
        '',
        chunked,
      ].join('\r\n'),
    );
    expect(plain.status).toBe(202);
  });

  it('unknown methods → 501 problem, logged as the client fault it is (no error level, no stack)', async () => {
    const before = log.lines().length;
    for (const method of ['TRACE', 'PROPFIND', 'QUERY', 'MKCOL', 'PURGE']) {
      const response = await send(h.client.baseUrl, method, REQUEST);
      expect(response.status, method).toBe(501);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['x-request-id']).toBeTruthy();
      expect(JSON.parse(response.body)).toMatchObject({
        status: 501,
        type: expect.stringContaining('not-implemented'),
      });
    }
    const lines = log.lines().slice(before);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.filter((line) => (line['level'] as number) >= ERROR_LEVEL)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('stack');
  });
});
