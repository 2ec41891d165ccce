// One contract for every framework adapter, run per store: exact counts under concurrency,
// all-or-nothing across rules, the response fields as Structured Fields (several limiters
// appending to one list), the 429 problem body, key faults through the failure mode, skip, and
// the default key under each framework's trust-proxy setting.
import { randomUUID } from 'node:crypto';
import { parseList, type Item } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitRule } from '@tses/redis-ratelimit';
import type { Framework, LimitSpec, Served } from './frameworks.js';

/** Where the counters live for one run: the options to spread into every limit, and cleanup. */
export interface StoreHarness {
  readonly options: Pick<LimitSpec, 'redis' | 'store' | 'keyPrefix'>;
  close(): Promise<void>;
}

/** A GET of `/hit`, with its status, fields and JSON body. */
export async function hit(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/hit`, { headers });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, body, type: res.headers.get('content-type') };
}

/** `RateLimit-Policy`/`RateLimit` parsed strictly (RFC 9651): policy name → its parameters. */
export function members(value: string | null): Map<string, Record<string, unknown>> {
  expect(value, 'field present').not.toBeNull();
  const result = new Map<string, Record<string, unknown>>();
  for (const member of parseList(value!)) {
    const [name, params] = member as Item;
    expect(typeof name, 'policy name is an sf-string').toBe('string');
    result.set(name as string, Object.fromEntries(params));
  }
  return result;
}

const rule = (limit: number, windowMs = 60_000): RateLimitRule => ({
  name: `p-${randomUUID().slice(0, 8)}`,
  limit,
  windowMs,
});

export function describeHttpContract(
  storeName: string,
  makeStore: () => Promise<StoreHarness>,
  frameworks: readonly Framework[],
): void {
  describe.each(frameworks)(`HTTP middleware, $name, ${storeName}`, (framework) => {
    let store: StoreHarness;
    const servers: Served[] = [];
    const serve = async (limits: LimitSpec[], options?: { trustProxy?: boolean }) => {
      const served = await framework.serve(
        limits.map((limit) => ({ ...store.options, ...limit })),
        options,
      );
      servers.push(served);
      return served.url;
    };
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
      await store.close();
    });

    it('200 requests at once, limit 5: exactly 5 pass, 195 get the problem+json 429', async () => {
      const r = rule(5);
      const url = await serve([{ failureMode: 'throw', rules: r, keyHeader: 'x-client' }]);
      const client = randomUUID();
      const answers = await Promise.all(Array.from({ length: 200 }, () => hit(url, { 'x-client': client })));
      const passed = answers.filter((a) => a.status === 200);
      expect(passed).toHaveLength(5);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(195);
      expect(passed.map((a) => a.body)).toEqual(
        Array(5).fill({ counted: true, allowed: true, key: client, error: null }),
      );
      const denied = answers.find((a) => a.status === 429)!;
      expect(denied.type).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(denied.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(59);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(denied.body).toEqual({
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: `Rate limit "${r.name}" exceeded; retry in ${retryAfter} s.`,
        retry_after: retryAfter,
        policy: r.name,
      });
      expect(members(denied.headers.get('ratelimit')).get(r.name!)).toEqual({ r: 0, t: retryAfter });
    });

    it('two rules are all-or-nothing: a denial by one consumes nothing from the other', async () => {
      const short = rule(3, 10_000);
      const long = rule(5, 3_600_000);
      const url = await serve([{ failureMode: 'throw', rules: [short, long], keyHeader: 'x-client' }]);
      const client = { 'x-client': randomUUID() };
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await hit(url, client);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(last!.body).toMatchObject({ policy: short.name });
      const state = members(last!.headers.get('ratelimit'));
      expect(state.get(short.name!)).toMatchObject({ r: 0 });
      expect(state.get(long.name!)).toMatchObject({ r: 2 }); // three counted, not five
    });

    it('fields parse as Structured Field lists; a second limiter appends its own policy', async () => {
      const perClient = rule(10, 60_000);
      const global = rule(2, 3_600_000);
      const url = await serve([
        { failureMode: 'throw', rules: perClient, keyHeader: 'x-client' },
        { failureMode: 'throw', rules: global, keyHeader: 'x-tenant' },
      ]);
      const headers = { 'x-client': randomUUID(), 'x-tenant': randomUUID() };
      const first = await hit(url, headers);
      expect(first.status).toBe(200);
      const policy = members(first.headers.get('ratelimit-policy'));
      expect([...policy.keys()]).toEqual([perClient.name, global.name]);
      expect(policy.get(perClient.name!)).toEqual({ q: 10, w: 60 });
      expect(policy.get(global.name!)).toEqual({ q: 2, w: 3600 });
      const state = members(first.headers.get('ratelimit'));
      expect(state.get(perClient.name!)).toEqual({ r: 9, t: 60 });
      expect(state.get(global.name!)).toEqual({ r: 1, t: 3600 });
      expect(first.headers.get('retry-after')).toBeNull();
      await hit(url, headers);
      const third = await hit(url, headers);
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({ policy: global.name });
      expect([...members(third.headers.get('ratelimit')).keys()]).toEqual([perClient.name, global.name]);
    });

    it('skip: uncounted, no fields; `headers: false` leaves the fields out until a 429', async () => {
      const r = rule(1);
      const url = await serve([
        { failureMode: 'throw', rules: r, keyHeader: 'x-client', skipHeader: true, headers: false },
      ]);
      const client = randomUUID();
      const skipped = await hit(url, { 'x-client': client, 'x-skip': '1' });
      expect(skipped).toMatchObject({ status: 200, body: { counted: false } });
      expect(skipped.headers.get('ratelimit')).toBeNull();
      const counted = await hit(url, { 'x-client': client });
      expect(counted.status).toBe(200);
      expect(counted.headers.get('ratelimit')).toBeNull();
      const denied = await hit(url, { 'x-client': client });
      expect(denied.status).toBe(429);
      expect(denied.headers.get('ratelimit')).toBeNull();
      expect(denied.headers.get('retry-after')).not.toBeNull();
    });

    it('a key function that throws or returns "" goes through the failure mode, typed', async () => {
      const errors: Error[] = [];
      const onError = (e: Error) => errors.push(e);
      const r = rule(100);
      const thrown = await hit(
        await serve([{ failureMode: 'throw', rules: r, keyHeader: 'throw', onError }]),
      );
      expect(thrown).toMatchObject({
        status: 503,
        body: { code: 'ERR_RATELIMIT_KEY', name: 'RateLimitKeyError' },
      });
      const allowed = await hit(
        await serve([{ failureMode: 'allow', rules: r, keyHeader: 'empty', onError }]),
      );
      expect(allowed).toMatchObject({
        status: 200,
        body: { counted: true, allowed: true, error: 'ERR_RATELIMIT_KEY' },
      });
      expect(allowed.headers.get('ratelimit')).toBeNull(); // nothing was counted: no state to report
      const denied = await hit(await serve([{ failureMode: 'deny', rules: r, keyHeader: 'empty', onError }]));
      expect(denied.status).toBe(429);
      expect(denied.body).toMatchObject({ status: 429, policy: r.name, retry_after: 60 });
      expect(errors.map((e) => e.name)).toEqual([
        'RateLimitKeyError',
        'RateLimitKeyError',
        'RateLimitKeyError',
      ]);
      expect(errors[0]!.message).toMatch(/`key` function threw/);
      expect((errors[0]!.cause as Error).message).toBe('no session');
      expect(errors[1]!.message).toMatch(/empty string/);
    });

    it('the default key is the socket address: a spoofed X-Forwarded-For is not a new client', async () => {
      const r = rule(2);
      const url = await serve([{ failureMode: 'throw', rules: r }]);
      const statuses = [];
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        const answer = await hit(url, { 'x-forwarded-for': ip });
        statuses.push(answer.status);
        if (answer.status === 200) expect(answer.body.key).toBe('ip:127.0.0.1');
      }
      expect(statuses).toEqual([200, 200, 429]);
    });

    it.skipIf(!framework.hasTrustProxy)(
      'with the proxy trusted, X-Forwarded-For names the client; IPv6 per /64',
      async () => {
        const r = rule(2);
        const url = await serve([{ failureMode: 'throw', rules: r }], { trustProxy: true });
        const from = async (ip: string) => (await hit(url, { 'x-forwarded-for': ip })).status;
        expect([await from('198.51.100.1'), await from('198.51.100.2'), await from('198.51.100.3')]).toEqual([
          200, 200, 200,
        ]);
        const v6 = [
          await from('2001:db8:1:2::1'),
          await from('2001:db8:1:2::2'),
          await from('2001:db8:1:2:ffff::3'),
        ];
        expect(v6).toEqual([200, 200, 429]);
        expect(await from('2001:db8:1:3::1')).toBe(200);
        const answer = await hit(url, { 'x-forwarded-for': '2001:db8:9:9::1' });
        expect(answer.body.key).toBe('ip:2001:db8:9:9:0:0:0:0/64');
      },
    );
  });
}
