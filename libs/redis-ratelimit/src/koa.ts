/**
 * `@tses/redis-ratelimit/koa`: rate limiting as one Koa middleware.
 *
 * @packageDocumentation
 */
import type { Context, Middleware } from 'koa';
import { createHttpLimit } from './http/http-limit.js';
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

declare module 'koa' {
  interface DefaultState {
    /** Set by `@tses/redis-ratelimit/koa` on every request it counted. */
    rateLimit?: RateLimitInfo;
  }
}

/**
 * Options of {@link rateLimit}: the shared vocabulary with `ctx` as the request, plus the denial hook.
 *
 * @example
 * ```ts
 * const options: KoaRateLimitOptions = { limiter, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } };
 * ```
 */
export interface KoaRateLimitOptions extends HttpRateLimitOptions<Context> {
  /** Answers a denied request instead of the default problem+json 429 (the fields are already set; it may throw). */
  readonly onLimited?: (ctx: Context, info: RateLimitInfo) => void | Promise<void>;
}

/**
 * A Koa middleware that counts each request against the rules and answers 429 once any is
 * exhausted. The default key is `ctx.ip`, which trusts `X-Forwarded-For` only under `app.proxy`.
 *
 * @param options - {@link KoaRateLimitOptions}.
 * @returns The middleware; the decision is `ctx.state.rateLimit`.
 * @throws {@link RateLimitConfigError} On invalid options. The middleware rejects with a
 *   `RateLimitError` only under `failureMode: 'throw'`.
 * @example
 * ```ts
 * app.use(rateLimit({ redis, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } }));
 * ```
 */
export function rateLimit(options: KoaRateLimitOptions): Middleware {
  const limit = createHttpLimit(options);
  const onLimited = options.onLimited;
  return async function rateLimit(ctx, next) {
    const info = await limit.check(ctx, () => ctx.ip);
    if (info === undefined) return next();
    ctx.state.rateLimit = info;
    for (const [name, value] of Object.entries(info.headers)) {
      if (name === POLICY_FIELD || name === STATE_FIELD) {
        if (limit.headers) ctx.set(name, appendMembers(ctx.response.get(name), value));
      } else if (!info.allowed) ctx.set(name, value);
    }
    if (info.allowed) return next();
    if (onLimited !== undefined) return onLimited(ctx, info);
    ctx.status = 429;
    ctx.type = PROBLEM_JSON;
    ctx.body = tooManyRequestsProblem(info);
  };
}
