// Each framework under test as a real app on a loopback port: the limits under test mounted in
// order, one route that reports the attached decision, and an error handler that answers a
// `RateLimitError` with 503 and its code (so a test sees what reached the framework's error path).
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { HttpRateLimitOptions, RateLimitInfo } from '@tses/redis-ratelimit/koa';
import { rateLimit as koaRateLimit } from '@tses/redis-ratelimit/koa';
import { rateLimit as expressRateLimit } from '@tses/redis-ratelimit/express';
import { rateLimit as fastifyRateLimit } from '@tses/redis-ratelimit/fastify';
import { rateLimit as honoRateLimit } from '@tses/redis-ratelimit/hono';

/** The options a contract test gives, with the key as a header name instead of a function. */
export type LimitSpec = Omit<HttpRateLimitOptions<unknown>, 'key' | 'skip' | 'onError'> & {
  /** Key from this request header; `'throw'`/`'empty'` make the key function fail; default: the IP. */
  readonly keyHeader?: string | 'throw' | 'empty';
  /** Skip requests carrying `x-skip`. */
  readonly skipHeader?: boolean;
  readonly onError?: (error: Error) => void;
};

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export interface Framework {
  readonly name: string;
  /** Whether the framework has a trust-proxy setting for the default key to follow. */
  readonly hasTrustProxy: boolean;
  serve(limits: readonly LimitSpec[], options?: { trustProxy?: boolean }): Promise<Served>;
}

/** What the route answers: the decision the middleware attached, as the app sees it. */
export function describeInfo(info: RateLimitInfo | undefined): Record<string, unknown> {
  return info === undefined
    ? { counted: false }
    : { counted: true, allowed: info.allowed, key: info.key, error: info.error?.code ?? null };
}

/** Turns a spec into framework options, the header read by `header(req, name)`. */
export function optionsOf<Req>(
  spec: LimitSpec,
  header: (req: Req, name: string) => string | undefined,
): HttpRateLimitOptions<Req> {
  const { keyHeader, skipHeader, onError, ...rest } = spec;
  const key =
    keyHeader === undefined
      ? undefined
      : keyHeader === 'throw'
        ? () => {
            throw new Error('no session');
          }
        : keyHeader === 'empty'
          ? () => ''
          : (req: Req) => header(req, keyHeader) ?? '';
  return {
    ...rest,
    ...(key === undefined ? {} : { key }),
    ...(skipHeader ? { skip: (req: Req) => header(req, 'x-skip') !== undefined } : {}),
    ...(onError === undefined ? {} : { onError: (error: Error) => onError(error) }),
  };
}

export function listen(server: Server): Promise<Served> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const errorBody = (error: unknown) => ({
  code: (error as { code?: unknown }).code ?? null,
  name: (error as Error).name,
});
const isLimiterFault = (error: unknown) =>
  String((error as { code?: unknown }).code ?? '').startsWith('ERR_RATELIMIT');

export const KOA: Framework = {
  name: 'Koa 3',
  hasTrustProxy: true,
  serve(limits, options = {}) {
    const app = new Koa({ proxy: options.trustProxy === true });
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = isLimiterFault(error) ? 503 : 500;
        ctx.body = errorBody(error);
      }
    });
    for (const spec of limits)
      app.use(koaRateLimit(optionsOf(spec, (ctx, name) => ctx.get(name) || undefined)));
    app.use((ctx) => {
      ctx.body = describeInfo(ctx.state.rateLimit);
    });
    return listen(createServer(app.callback()));
  },
};

function expressFramework(name: string, create: typeof express): Framework {
  return {
    name,
    hasTrustProxy: true,
    serve(limits, options = {}) {
      const app = create();
      app.set('trust proxy', options.trustProxy === true ? 1 : false);
      for (const spec of limits) app.use(expressRateLimit(optionsOf(spec, (req, h) => req.get(h))));
      app.get('/hit', (req, res) => {
        res.json(describeInfo(req.rateLimit));
      });
      app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(isLimiterFault(error) ? 503 : 500).json(errorBody(error));
      });
      return listen(createServer(app));
    },
  };
}

// Express 4 is installed under the alias `express4`; its API is the one typed for Express 5 here.
const express4 = createRequire(import.meta.url)('express4') as typeof express;

export const EXPRESS_5 = expressFramework('Express 5', express);
export const EXPRESS_4 = expressFramework('Express 4', express4);

export const FASTIFY: Framework = {
  name: 'Fastify 5',
  hasTrustProxy: true,
  async serve(limits, options = {}) {
    const app = Fastify({ trustProxy: options.trustProxy === true });
    app.setErrorHandler((error, _request, reply) => {
      void reply.code(isLimiterFault(error) ? 503 : 500).send(errorBody(error));
    });
    for (const spec of limits) {
      await app.register(
        fastifyRateLimit,
        optionsOf(spec, (request, name) => request.headers[name] as string | undefined),
      );
    }
    app.get('/hit', async (request) => describeInfo(request.rateLimit));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
};

export const HONO: Framework = {
  name: 'Hono 4 (Node)',
  // Hono has no trust-proxy setting: the default key is always the socket peer.
  hasTrustProxy: false,
  serve(limits) {
    const app = new Hono();
    app.onError((error, c) => c.json(errorBody(error), isLimiterFault(error) ? 503 : 500));
    for (const spec of limits) {
      app.use(honoRateLimit({ ...optionsOf(spec, (c, name) => c.req.header(name)), getConnInfo }));
    }
    app.get('/hit', (c) => c.json(describeInfo(c.get('rateLimit'))));
    return new Promise((resolve) => {
      const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              (server as Server).closeAllConnections();
              server.close(() => done());
            }),
        });
      });
    });
  },
};

export const FRAMEWORKS: readonly Framework[] = [KOA, EXPRESS_5, EXPRESS_4, FASTIFY, HONO];
