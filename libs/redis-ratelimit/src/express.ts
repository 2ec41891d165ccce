/**
 * `@tses/redis-ratelimit/express`: rate limiting as one Express 4 or 5 middleware.
 *
 * @packageDocumentation
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its request through this global namespace
  namespace Express {
    interface Request {
      /** Set by `@tses/redis-ratelimit/express` on every request it counted. */
      rateLimit?: RateLimitInfo;
    }
  }
}

/**
 * Options of {@link rateLimit}: the shared vocabulary with `req` as the request, plus the denial hook.
 *
 * @example
 * ```ts
 * const options: ExpressRateLimitOptions = { limiter, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } };
 * ```
 */
export interface ExpressRateLimitOptions extends HttpRateLimitOptions<Request> {
  /** Answers a denied request instead of the default problem+json 429 (the fields are already set). */
  readonly onLimited?: (req: Request, res: Response, next: NextFunction, info: RateLimitInfo) => void;
}

/**
 * An Express middleware that counts each request against the rules and answers 429 once any is
 * exhausted. The default key is `req.ip`, which follows the app's `trust proxy` setting.
 *
 * @param options - {@link ExpressRateLimitOptions}.
 * @returns The middleware; the decision is `req.rateLimit`. Faults under `failureMode: 'throw'` go to `next(error)`.
 * @throws {@link RateLimitConfigError} On invalid options.
 * @example
 * ```ts
 * app.use(rateLimit({ redis, failureMode: 'throw', rules: { name: 'api', limit: 100, windowMs: 60_000 } }));
 * ```
 */
export function rateLimit(options: ExpressRateLimitOptions): RequestHandler {
  const limit = createHttpLimit(options);
  const onLimited = options.onLimited;
  return function rateLimit(req, res, next) {
    // Express 4 does not await a middleware's promise: every outcome is handed on explicitly.
    limit
      .check(req, () => req.ip)
      .then((info) => {
        if (info === undefined) return next();
        req.rateLimit = info;
        for (const [name, value] of Object.entries(info.headers)) {
          if (name === POLICY_FIELD || name === STATE_FIELD) {
            if (limit.headers) res.setHeader(name, appendMembers(res.getHeader(name), value));
          } else if (!info.allowed) res.setHeader(name, value);
        }
        if (info.allowed) return next();
        if (onLimited !== undefined) {
          try {
            return onLimited(req, res, next, info);
          } catch (error) {
            return next(error);
          }
        }
        res
          .status(429)
          .type(PROBLEM_JSON)
          .send(JSON.stringify(tooManyRequestsProblem(info)));
      }, next);
  };
}
