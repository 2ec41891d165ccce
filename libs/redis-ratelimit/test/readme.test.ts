// The README's runnable examples (the adapter, coalescing, the local shield, metrics, the lockout's
// events, the HTTP middleware) run as written:
// extracted from README.md and run as their own modules (against the Redis at 127.0.0.1:6379
// they name; their keys carry the process id and are deleted), the package resolved to its source.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const libDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(libDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** The one `js` block that contains every needle. */
function block(...needles: string[]): string {
  const found = blocks.filter((b) => needles.every((n) => b.includes(n)));
  expect(found, needles.join(' + ')).toHaveLength(1);
  return found[0]!;
}

describe('README examples', () => {
  // Inside the library's folder, so `@tses/redis-ratelimit` resolves to the workspace package.
  const work = mkdtempSync(join(libDir, 'test', '.readme-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const run = (name: string, code: string): string => {
    const file = join(work, `${name}.mts`);
    writeFileSync(file, code);
    return execFileSync(process.execPath, [tsx, '--conditions=@tses/source', file], {
      cwd: libDir,
      encoding: 'utf8',
      timeout: 20_000,
    });
  };

  it('coalescing: the calls of one tick, each with its own decision', () => {
    const out = run('coalescing', block('coalescing:', 'Promise.all('));
    expect(out.trim()).toBe('1 1 1 0 0 0 denied denied denied');
  });

  it('the local shield', () => {
    const out = run('shield', block('shield: { maxKeys'));
    expect(out.trim().split('\n')).toEqual(['3', 'false 60000', '2']);
  });

  it('metrics and traces: onDecision and the OpenTelemetry SDK', () => {
    const out = run('telemetry', block('onDecision:', 'InMemoryMetricExporter'));
    const shown = /```js\n[\s\S]*?onDecision:[\s\S]*?```\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(out).toBe(shown);
  });

  it('metrics and traces: the lockout hook', () => {
    const out = run('lockout-events', block('onLockoutEvent:'));
    const shown = /```js\n[\s\S]*?onLockoutEvent:[\s\S]*?```\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(out).toBe(shown);
  });

  it('HTTP middleware: Koa on Redis, by the socket address', () => {
    const out = run('koa', block("from '@tses/redis-ratelimit/koa'"));
    expect(out.trim().split('\n')).toEqual([
      '200 "api";r=1;t=60',
      '200 "api";r=0;t=60',
      '429 "api";r=0;t=60',
    ]);
  });

  it('HTTP middleware: Express, two rules on the memory store', () => {
    const out = run('express', block("from '@tses/redis-ratelimit/express'"));
    const policy = '"burst";q=2;w=1, "hour";q=100;w=3600';
    expect(out.trim().split('\n')).toEqual([`200 ${policy}`, `200 ${policy}`, `429 ${policy}`]);
  });

  it('HTTP middleware: Fastify, a per-route rule on Redis', () => {
    const out = run('fastify', block("from '@tses/redis-ratelimit/fastify'"));
    expect(out.trim().split('\n')).toEqual(['200 "login";q=1;w=600', '429 "login";q=1;w=600']);
  });

  it('HTTP middleware: Hono on Node, its own denial', () => {
    const out = run('hono', block("from '@tses/redis-ratelimit/hono'"));
    expect(out.trim().split('\n')).toEqual([
      '200 {"key":"ip:127.0.0.1"}',
      '429 {"error":"slow down","policy":"api"}',
    ]);
  });

  it('the RedisScriptClient adapter', () => {
    const out = run('adapter', block('const adapter = {', 'redis: adapter'));
    expect(out).toMatch(/allowed: true/);
    expect(out).toMatch(/remaining: 1/);
  });
});
