/**
 * `@tses/redis-ratelimit/fastify`: rate limiting as one Fastify 5 plugin, for every route or per
 * route through its `config.rateLimit`.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { createHttpLimit, limiterOf } from './http/http-limit.js';
import type { HttpRateLimitOptions, RateLimitInfo } from './http/options.js';
import {
  appendMembers,
  POLICY_FIELD,
  PROBLEM_JSON,
  STATE_FIELD,
  tooManyRequestsProblem,
} from './http/response.js';

export type { HttpRateLimitOptions, RateLimitInfo } from './http/options.js';
export { tooManyRequestsProblem } from './http/response.js';

/**
 * A route's own `config.rateLimit`: any option of the plugin, over the plugin's (e.g. only `rules`).
 *
 * @example
 * ```ts
 * app.post('/login', { config: { rateLimit: { rules: { name: 'login', limit: 5, windowMs: 60_000 } } } }, handler);
 * ```
 */
export type FastifyRouteRateLimitOptions = Partial<FastifyRateLimitOptions>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `@tses/redis-ratelimit/fastify` on every request it counted. */
    rateLimit?: RateLimitInfo;
  }
  interface FastifyContextConfig {
    /** This route's limit over the plugin's options, or `false` for none. */
    rateLimit?: false | FastifyRouteRateLimitOptions;
  }
}

/**
 * Options of {@link rateLimit}: the shared vocabulary with `request` as the request, plus the scope
 * and the denial hook.
 *
 * @example
 * ```ts
 * const options: FastifyRateLimitOptions = { redis, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } };
 * ```
 */
export interface FastifyRateLimitOptions extends HttpRateLimitOptions<FastifyRequest> {
  /** Limit every route (default `true`); `false`: only routes whose `config.rateLimit` asks. */
  readonly global?: boolean;
  /** Answers a denied request instead of the default problem+json 429 (the fields are already set). */
  readonly onLimited?: (request: FastifyRequest, reply: FastifyReply, info: RateLimitInfo) => unknown;
}

type PluginOptions = Omit<FastifyRateLimitOptions, 'rules'> & Partial<Pick<FastifyRateLimitOptions, 'rules'>>;

const hasStore = (options: Partial<FastifyRateLimitOptions>) =>
  options.limiter !== undefined || options.redis !== undefined || options.store !== undefined;

function hookFor(options: FastifyRateLimitOptions): onRequestAsyncHookHandler {
  const limit = createHttpLimit(options);
  const onLimited = options.onLimited;
  return async function rateLimit(request, reply) {
    const info = await limit.check(request, () => request.ip);
    if (info === undefined) return;
    request.rateLimit = info;
    for (const [name, value] of Object.entries(info.headers)) {
      if (name === POLICY_FIELD || name === STATE_FIELD) {
        if (limit.headers) reply.header(name, appendMembers(reply.getHeader(name), value));
      } else if (!info.allowed) reply.header(name, value);
    }
    if (info.allowed) return;
    if (onLimited !== undefined) {
      await onLimited(request, reply, info);
      return reply;
    }
    return reply
      .code(429)
      .type(PROBLEM_JSON)
      .send(JSON.stringify(tooManyRequestsProblem(info)));
  };
}

/**
 * The plugin: registered before the routes it limits (it adds an `onRequest` hook to each route as
 * it is declared), in every encapsulation context below the one it is registered in. The default
 * key is `request.ip`, which follows the server's `trustProxy`.
 *
 * @param fastify - The instance.
 * @param options - {@link FastifyRateLimitOptions}; `rules` may be left to the routes.
 * @returns Resolves once registered.
 * @throws {@link RateLimitConfigError} On invalid options (a route's when it is declared).
 * @example
 * ```ts
 * await app.register(rateLimit, { redis, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } });
 * ```
 */
export const rateLimit: FastifyPluginAsync<PluginOptions> = async (fastify, options) => {
  const { global = true, ...shared } = options;
  // One limiter for every route, unless a route names a store of its own.
  const base = hasStore(shared)
    ? { ...shared, limiter: limiterOf(shared as HttpRateLimitOptions<unknown>) }
    : shared;
  delete (base as { redis?: unknown }).redis;
  delete (base as { store?: unknown }).store;
  fastify.addHook('onRoute', (route) => {
    const own = (route.config as { rateLimit?: false | FastifyRouteRateLimitOptions } | undefined)?.rateLimit;
    if (own === false || (own === undefined && !global)) return;
    const merged = { ...base, ...own } as FastifyRateLimitOptions;
    if (own !== undefined && hasStore(own) && own.limiter === undefined)
      delete (merged as { limiter?: unknown }).limiter;
    const hook = hookFor(merged);
    const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
    // After the route's earlier hooks, so limiters registered in turn report their policies in turn.
    route.onRequest = [...existing, hook];
  });
};

// The plugin's hooks apply to the context it is registered in, as `fastify-plugin` would mark it.
Object.assign(rateLimit, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@tses/redis-ratelimit',
});
