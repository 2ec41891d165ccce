// The apps the HTTP bench loads, one per framework and variant, each the same route (`GET /`
// answering `ok`) on its own process and its own Redis connection:
//   bare      the route alone
//   ping      the route after one Redis PING: the bare route plus one round trip
//   ours      behind @tses/redis-ratelimit's middleware (defaults, one rule)
//   theirs    behind the framework's most used limiter on the same Redis
// Every limiter keys by the client IP with a limit never reached, so every request is counted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import fastifyRateLimit from '@fastify/rate-limit';
import { RedisStore as HonoRedisStore } from '@hono-rate-limiter/redis';
import express, { type RequestHandler } from 'express';
import { rateLimit as expressRateLimit } from 'express-rate-limit';
import Fastify from 'fastify';
import { Hono, type MiddlewareHandler } from 'hono';
import { rateLimiter as honoRateLimiter } from 'hono-rate-limiter';
import { Redis } from 'ioredis';
import Koa, { type Middleware } from 'koa';
import koaRatelimit from 'koa-ratelimit';
import { RedisStore as ExpressRedisStore, type RedisReply } from 'rate-limit-redis';
import { rateLimitRedisOptions } from '@tses/redis-ratelimit';
import { rateLimit as oursExpress } from '@tses/redis-ratelimit/express';
import { rateLimit as oursFastify } from '@tses/redis-ratelimit/fastify';
import { rateLimit as oursHono } from '@tses/redis-ratelimit/hono';
import { rateLimit as oursKoa } from '@tses/redis-ratelimit/koa';

export const FRAMEWORKS = ['koa', 'express', 'fastify', 'hono'] as const;
export const VARIANTS = ['bare', 'ping', 'ours', 'theirs'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export type Variant = (typeof VARIANTS)[number];

/** The limiter each framework's users reach for, as `theirs` names it in the table. */
export const THEIRS: Record<Framework, string> = {
  koa: 'koa-ratelimit',
  express: 'express-rate-limit + rate-limit-redis',
  fastify: '@fastify/rate-limit (Redis)',
  hono: 'hono-rate-limiter + @hono-rate-limiter/redis',
};

const LIMIT = 1_000_000_000;
const WINDOW_MS = 600_000;
const rules = { name: 'api', limit: LIMIT, windowMs: WINDOW_MS };

/** Starts one app; resolves with its port. */
export async function startApp(
  framework: Framework,
  variant: Variant,
  redisUrl: string,
  prefix: string,
): Promise<number> {
  const ours = () => new Redis(redisUrl, rateLimitRedisOptions);
  const plain = () => new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const pinger = variant === 'ping' ? plain() : undefined;
  const ping = async () => {
    await pinger?.ping();
  };
  const keyPrefix = `${prefix}:`;

  if (framework === 'koa') {
    const app = new Koa();
    const limit: Middleware | undefined =
      variant === 'ours'
        ? oursKoa({ redis: ours(), keyPrefix, failureMode: 'throw', rules })
        : variant === 'theirs'
          ? koaRatelimit({
              driver: 'redis',
              db: plain(),
              duration: WINDOW_MS,
              max: LIMIT,
              id: (ctx) => ctx.ip,
              namespace: prefix,
            })
          : undefined;
    if (limit) app.use(limit);
    app.use(async (ctx) => {
      await ping();
      ctx.body = 'ok';
    });
    return listen(createServer(app.callback()));
  }
  if (framework === 'express') {
    const app = express();
    let limit: RequestHandler | undefined;
    if (variant === 'ours') limit = oursExpress({ redis: ours(), keyPrefix, failureMode: 'throw', rules });
    if (variant === 'theirs') {
      const redis = plain();
      limit = expressRateLimit({
        windowMs: WINDOW_MS,
        limit: LIMIT,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        store: new ExpressRedisStore({
          prefix: keyPrefix,
          sendCommand: (command: string, ...args: string[]) =>
            redis.call(command, ...args) as Promise<RedisReply>,
        }),
      });
    }
    if (limit) app.use(limit);
    app.get('/', (_req, res, next) => {
      ping().then(() => res.send('ok'), next);
    });
    return listen(createServer(app));
  }
  if (framework === 'fastify') {
    const app = Fastify();
    if (variant === 'ours')
      await app.register(oursFastify, { redis: ours(), keyPrefix, failureMode: 'throw', rules });
    if (variant === 'theirs') {
      await app.register(fastifyRateLimit, {
        max: LIMIT,
        timeWindow: WINDOW_MS,
        redis: plain(),
        nameSpace: keyPrefix,
      });
    }
    app.get('/', async () => {
      await ping();
      return 'ok';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  }
  const app = new Hono();
  let limit: MiddlewareHandler | undefined;
  if (variant === 'ours')
    limit = oursHono({ redis: ours(), keyPrefix, failureMode: 'throw', getConnInfo, rules });
  if (variant === 'theirs') {
    const redis = plain();
    // @hono-rate-limiter/redis takes an Upstash-style client; these four calls are all it uses.
    const client = {
      scriptLoad: (script: string) => redis.script('LOAD', script) as Promise<string>,
      evalsha: <TArgs extends unknown[], TData = unknown>(sha: string, keys: string[], args: TArgs) =>
        redis.evalsha(sha, keys.length, ...keys, ...(args as (string | number)[])) as Promise<TData>,
      decr: (key: string) => redis.decr(key),
      del: (key: string) => redis.del(key),
    };
    limit = honoRateLimiter({
      windowMs: WINDOW_MS,
      limit: LIMIT,
      standardHeaders: 'draft-7',
      keyGenerator: (c) => getConnInfo(c).remote.address ?? '',
      store: new HonoRedisStore({ client, prefix: keyPrefix }),
    });
  }
  if (limit) app.use(limit);
  app.get('/', async (c) => {
    await ping();
    return c.text('ok');
  });
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
