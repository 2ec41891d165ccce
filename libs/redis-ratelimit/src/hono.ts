/**
 * `@tses/redis-ratelimit/hono`: rate limiting as one Hono 4 middleware.
 *
 * @packageDocumentation
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';
import { RateLimitConfigError } from './lib/errors.js';
import { createHttpLimit } from './http/http-limit.js';
import type { HttpRateLimitOptions, RateLimitInfo } from './http/options.js';
import { POLICY_FIELD, PROBLEM_JSON, STATE_FIELD, tooManyRequestsProblem } from './http/response.js';

export type { HttpRateLimitOptions, RateLimitInfo } from './http/options.js';
export { tooManyRequestsProblem } from './http/response.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `@tses/redis-ratelimit/hono` on every request it counted. */
    rateLimit?: RateLimitInfo;
  }
}

/**
 * Options of {@link rateLimit}: the shared vocabulary with `c` as the request, plus how to read
 * the connection and the denial hook.
 *
 * @example
 * ```ts
 * const options: HonoRateLimitOptions = { redis, failureMode: 'throw', getConnInfo, rules: { name: 'api', limit: 100, windowMs: 60_000 } };
 * ```
 */
export interface HonoRateLimitOptions extends HttpRateLimitOptions<Context> {
  /**
   * The runtime's connection info (`@hono/node-server/conninfo`, `hono/bun`, `hono/deno`, …): the
   * default key is its remote address, the socket peer. Hono has no trust-proxy setting; behind a
   * proxy, give a `key` that reads the header your proxy sets. Required unless `key` is given.
   */
  readonly getConnInfo?: GetConnInfo;
  /** Answers a denied request instead of the default problem+json 429 (the fields are already set). */
  readonly onLimited?: (c: Context, info: RateLimitInfo) => Response | Promise<Response>;
}

/**
 * A Hono middleware that counts each request against the rules and answers 429 once any is exhausted.
 *
 * @param options - {@link HonoRateLimitOptions}.
 * @returns The middleware; the decision is `c.get('rateLimit')`.
 * @throws {@link RateLimitConfigError} On invalid options, or with neither `key` nor `getConnInfo`.
 * @example
 * ```ts
 * app.use(rateLimit({ redis, failureMode: 'throw', getConnInfo, rules: { name: 'api', limit: 100, windowMs: 60_000 } }));
 * ```
 */
export function rateLimit(options: HonoRateLimitOptions): MiddlewareHandler {
  const { getConnInfo, onLimited } = options;
  if (options.key === undefined && getConnInfo === undefined) {
    throw new RateLimitConfigError(
      "Hono has no runtime-neutral client address: give `getConnInfo` (from '@hono/node-server/conninfo', 'hono/bun', 'hono/deno', …) or `key`.",
    );
  }
  const limit = createHttpLimit(options);
  return async function rateLimit(c, next) {
    const info = await limit.check(c, () => getConnInfo?.(c).remote.address);
    if (info === undefined) return next();
    c.set('rateLimit', info);
    for (const [name, value] of Object.entries(info.headers)) {
      // Appended: another limiter's policies in the same list stay (a list may be split across lines).
      if (name === POLICY_FIELD || name === STATE_FIELD) {
        if (limit.headers) c.header(name, value, { append: true });
      } else if (!info.allowed) c.header(name, value);
    }
    if (info.allowed) return next();
    if (onLimited !== undefined) return onLimited(c, info);
    return c.body(JSON.stringify(tooManyRequestsProblem(info)), 429, { 'Content-Type': PROBLEM_JSON });
  };
}
