// Property: no input gets a 5xx. fast-check generates requests over every route of the OpenAPI
// document (and paths beside them): any method, hostile headers, content types and codings,
// bodies (valid, truncated, deeply nested, huge, prototype keys, unicode and invisible
// characters) and query strings (dates across the whole ISO range, numbers, SQL-like strings).
// Every answer must be below 500 (but a 501 for a method the client made up); every error an RFC 9457 problem with X-Request-Id that leaks no
// stack or internal message; and the server must still be up at the end.
//
// Bounded for CI: FUZZ_RUNS requests (default 3000) with a random seed that fast-check prints on
// failure; FUZZ_SEED=<seed> (and FUZZ_PATH=<path>) replays a failure exactly.
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from './helpers/harness.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3_000);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const PATH = process.env['FUZZ_PATH'];
const SCHEMA = '/api/schema';

interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly chunked: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

// Words that only an internal error would put in a body.
const LEAKS =
  /\bat [\w.<>$]+ \(|\(\/[^)]*:\d+:\d+\)|node_modules|node:internal|"stack"|ECONN|Z_DATA_ERROR|SyntaxError|postgres(ql)?:\/\/|slonik|ioredis|SELECT .* FROM|TypeError|ReferenceError/i;

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'QUERY',
  'PURGE',
];

// Dates across the whole range a client can write: JavaScript's (±275760, extended years), the
// ISO edges (0000, 9999), and strings that only look like dates.
const dateString = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '+010000-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01',
    'yesterday',
  ),
);
const sqlish = fc.constantFrom(
  "' OR 1=1 --",
  '1; DROP TABLE users; --',
  "admin'--",
  '%27%20OR%20%271%27=%271',
  '\\x00',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
);
const weirdText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u200b', '\u202e', '\ufeff', '\u0000', 'é', '𝔘𝔫𝔦', 'ａ@ｅｘａｍｐｌｅ.com', '\u3164'),
);
const number = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('1e400', '-0', 'NaN', 'Infinity', '9007199254740993', '0x10', '1_000'),
);
const queryValue = fc.oneof(dateString, sqlish, weirdText, number, fc.constant(''));
const queryKey = fc.oneof(
  {
    arbitrary: fc.constantFrom('from', 'to', 'email', 'event', 'page', 'page_size', 'cursor', 'direction'),
    weight: 7,
  },
  {
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'token', 'a[b]', 'page[]'),
    weight: 2,
  },
  { arbitrary: weirdText, weight: 1 },
);

const email = fc.oneof(
  fc.emailAddress(),
  weirdText,
  fc.constantFrom('a\u200b@example.com', 'USER@Example.COM ', `${'a'.repeat(400)}@example.com`, '@', ''),
);
const otp = fc.oneof(fc.stringMatching(/^\d{6}$/), weirdText, number, fc.constant(' 000000 '));

// Nested values up to a depth, with prototype-polluting keys among the ordinary ones.
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.string()),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

const jsonBody = fc.oneof(
  fc.record({ email }).map((v) => JSON.stringify(v)),
  fc.record({ email, otp }).map((v) => JSON.stringify(v)),
  fc
    .record({ refresh: fc.oneof(weirdText, fc.constant('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')) })
    .map((v) => JSON.stringify(v)),
  hostileValue.map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__":{"isAdmin":true},"email":"a@example.com"}',
    '{"constructor":{"prototype":{"polluted":1}},"email":"a@example.com"}',
    '{"email":"a@example.com","email":"b@example.com"}',
    '{"email": "a@example.com",',
    '{"email": "\\ud800"}',
    '['.repeat(5_000) + ']'.repeat(5_000),
    '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000),
    JSON.stringify({ email: 'x'.repeat(15_000) + '@example.com' }),
    JSON.stringify({ email: 'x'.repeat(20_000) }),
    'null',
    '',
    '\u0000',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
// Truncated: any prefix of a valid body.
const truncated = fc
  .tuple(
    fc.record({ email, otp }).map((v) => JSON.stringify(v)),
    fc.nat(),
  )
  .map(([text, cut]) => text.slice(0, cut % (text.length + 1)));

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/merge-patch+json',
    'application/problem+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; boundary=',
    'json',
    '',
  ),
  fc.string({ maxLength: 30 }),
);
const contentEncoding = fc.constantFrom(
  'gzip',
  'deflate',
  'br',
  'identity',
  'x-unknown',
  'gzip, br',
  'compress',
);

function headerSafe(value: string): string {
  // Node refuses to send control characters and non-latin1 in a header value.
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/** One documented operation: where a hostile request is most likely to reach real code. */
interface Operation {
  readonly method: string;
  readonly path: string;
}

function pathVariants(path: string) {
  return fc.oneof(
    { arbitrary: fc.constant(path), weight: 8 },
    { arbitrary: fc.constant(`${path}/`), weight: 1 },
    { arbitrary: fc.constant(path.toUpperCase()), weight: 1 },
    { arbitrary: fc.webSegment().map((s) => `${path}/${encodeURIComponent(s)}`), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '/',
        '/api',
        '/..%2f..%2fetc%2fpasswd',
        '/api/v1/%00',
        '/%ff',
        '//api/v1/auth/me',
      ),
      weight: 1,
    },
  );
}

function requestArbitrary(operations: readonly Operation[], tokens: readonly string[]) {
  const header = <T>(arbitrary: fc.Arbitrary<T>, presentWeight: number) =>
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 10 - presentWeight },
      { arbitrary, weight: presentWeight },
    );
  const authorization = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens.map((t) => `Bearer ${t}`)), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Basic YWRtaW46YWRtaW4=',
        'Bearer a.b.c',
        'bearer    x',
      ),
      weight: 2,
    },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 2 },
  );
  return fc.constantFrom(...operations).chain((operation) =>
    fc.record<HostileRequest>({
      method: fc.oneof(
        { arbitrary: fc.constant(operation.method), weight: 8 },
        { arbitrary: fc.constantFrom(...METHODS), weight: 2 },
      ),
      path: pathVariants(operation.path),
      query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }),
      headers: fc
        .record({
          'content-type': fc.oneof(
            { arbitrary: fc.constant('application/json'), weight: 7 },
            { arbitrary: contentType, weight: 3 },
          ),
          'content-encoding': header(contentEncoding, 1),
          authorization: header(authorization, 7),
          'x-request-id': header(fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })), 3),
          'x-forwarded-for': header(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 40 })), 2),
          accept: header(fc.constantFrom('*/*', 'application/json', 'text/html', 'application/xml;q=0'), 2),
          'accept-encoding': header(fc.constantFrom('gzip', 'br', 'identity;q=0', '*;q=0'), 2),
          cookie: header(fc.string({ maxLength: 60 }), 1),
        })
        .map((h) =>
          Object.fromEntries(
            Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k, headerSafe(v)]])),
          ),
        ),
      body: fc.option(fc.oneof(jsonBody, truncated), { nil: undefined, freq: 4 }),
      chunked: fc.boolean(),
    }),
  );
}

function send(agent: Agent, baseUrl: string, r: HostileRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  const search = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const headers: Record<string, string> = { ...r.headers };
  // Framed either way on purpose: Node's client sends a GET or HEAD body with neither header,
  // which is not HTTP (the server reads it as the next request). Broken framing is the canary
  // test's business (raw sockets).
  if (r.body !== undefined) {
    if (r.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(Buffer.byteLength(r.body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: `${r.path}${search === '' ? '' : `?${search}`}`,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

describe('hostile input never gets a 5xx (property-based, full mode)', () => {
  let h: FullHarness;
  let agent: Agent;
  let operations: Operation[];
  let tokens: string[];

  beforeAll(async () => {
    h = await startFullHarness({ adminEmails: ['fuzz.admin@example.com'], verifyIpLimit: 1_000_000 });
    const admin = await h.signIn('fuzz.admin@example.com');
    const user = await h.signIn('fuzz.user@example.com');
    tokens = [admin.access, user.access, admin.refresh];
    const spec = (await h.client.get(SCHEMA)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });
  afterAll(async () => {
    agent.destroy();
    await h.close();
  });

  it(`${RUNS} generated requests over every route: below 500, problems with X-Request-Id, no leaks`, async () => {
    expect(operations.length).toBeGreaterThan(8);
    await fc.assert(
      fc.asyncProperty(requestArbitrary(operations, tokens), async (r) => {
        const answer = await send(agent, h.client.baseUrl, r);
        // 501 is the one 5xx a client can cause on purpose, for a method or transfer coding the
        // server does not implement (RFC 9110 §15.6.2): a client fault, and it must say so.
        if (answer.status === 501 && r.method !== 'HEAD') {
          expect(JSON.parse(answer.body).type).toMatch(/\/(not-implemented|unsupported-transfer-coding)$/);
        } else {
          expect(answer.status, `${r.method} ${r.path}`).toBeLessThan(500);
        }
        if (answer.status >= 400) {
          expect(answer.headers['x-request-id'], 'X-Request-Id').toBeTruthy();
          if (r.method !== 'HEAD') {
            expect(answer.headers['content-type']).toBe('application/problem+json');
            const problem = JSON.parse(answer.body) as Record<string, unknown>;
            expect(problem).toMatchObject({
              status: answer.status,
              type: expect.any(String),
              title: expect.any(String),
            });
            expect(answer.body).not.toMatch(LEAKS);
          }
        }
      }),
      {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: SEED }),
        ...(PATH === undefined ? {} : { path: PATH }),
      },
    );
    // Still up and still answering.
    expect((await h.client.get('/healthz')).status).toBe(200);
    expect((await h.client.get('/readyz')).status).toBe(200);
  });
});
