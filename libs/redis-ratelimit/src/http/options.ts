import type { RateLimiter } from '../lib/rate-limiter.js';
import type { RateLimitError } from '../lib/errors.js';
import type { StoreOptions } from '../lib/store-caller.js';
import type { FailureMode, RateLimitAllDecision, RateLimitRule } from '../types.js';
import type { RateLimitHeaderPolicy } from '../lib/headers.js';

/**
 * The one option vocabulary of the HTTP middleware (`/koa`, `/express`, `/fastify`, `/hono`);
 * `Req` is what the framework hands a middleware (Koa `ctx`, Express `req`, Fastify `request`,
 * Hono `c`).
 *
 * @example
 * ```ts
 * const options: HttpRateLimitOptions<Request> = {
 *   redis, failureMode: 'deny', rules: [{ name: 'burst', limit: 10, windowMs: 1_000 }],
 * };
 * ```
 */
export interface HttpRateLimitOptions<Req> extends Partial<
  Pick<StoreOptions, 'redis' | 'store' | 'keyPrefix' | 'timeoutMs'>
> {
  /**
   * A limiter to share with other code. Give this, or `redis`/`store` (with `keyPrefix`,
   * `timeoutMs`) for a limiter of the middleware's own. A shared limiter's own `failureMode`
   * decides store faults first: give it `'throw'` so that this middleware's `failureMode` applies.
   */
  readonly limiter?: Pick<RateLimiter, 'consume' | 'consumeAll'>;
  /** One rule or several, each with a distinct `name`; every request counts against all of them or none. */
  readonly rules: RateLimitRule | readonly RateLimitRule[];
  /**
   * Names the client. Default: the client IP as the framework resolves it under its own
   * trust-proxy setting, IPv6 grouped by `ipv6PrefixLength` bits. Throwing or returning an empty
   * key is a fault (`RateLimitKeyError`), never a shared bucket.
   */
  readonly key?: (req: Req) => string | Promise<string>;
  /** Bits of an IPv6 address that name one client for the default key (default 64). */
  readonly ipv6PrefixLength?: number;
  /** The counter's key for one rule (default `` `${rule.name}:${key}` ``, under the limiter's `keyPrefix`). */
  readonly storeKey?: (key: string, rule: RateLimitRule) => string;
  /** Lets a request through uncounted and without headers (health checks, allow lists). */
  readonly skip?: (req: Req) => boolean | Promise<boolean>;
  /** `RateLimit-Policy` and `RateLimit` on every counted response (default `true`); `Retry-After` on a 429 regardless. */
  readonly headers?: boolean;
  /**
   * What a fault does (the store unreachable or past its deadline, an error reply, a key that
   * cannot be resolved): `throw` hands it to the framework's error path, `allow` lets the request
   * through, `deny` answers 429. Required: there is no safe default.
   */
  readonly failureMode: FailureMode;
  /** Told about every fault, including those that `allow` and `deny` answer. */
  readonly onError?: (error: RateLimitError, req: Req) => void;
}

/**
 * What the middleware decided for a request, attached to it (`ctx.state.rateLimit`,
 * `req.rateLimit`, `request.rateLimit`, `c.get('rateLimit')`) and given to the denial hook.
 *
 * @example
 * ```ts
 * const info: RateLimitInfo = ctx.state.rateLimit;
 * if (!info.allowed) log.info({ policy: info.policy, retryAfterMs: info.retryAfterMs });
 * ```
 */
export interface RateLimitInfo {
  /** Whether the request was admitted. */
  readonly allowed: boolean;
  /** The client key the rules were counted against (`undefined` when it could not be resolved). */
  readonly key: string | undefined;
  /** Every rule with its decision, in the order given. */
  readonly policies: readonly RateLimitHeaderPolicy[];
  /** The all-or-nothing decision. */
  readonly decision: RateLimitAllDecision;
  /** When denied: the binding policy's name. */
  readonly policy: string | undefined;
  /** `0` when allowed; the wait in milliseconds otherwise. */
  readonly retryAfterMs: number;
  /** The response fields for this decision (`RateLimit-Policy`, `RateLimit`, `Retry-After` as they apply). */
  readonly headers: Readonly<Record<string, string>>;
  /** Set when the failure mode (`allow` or `deny`) answered instead of the store. */
  readonly error?: RateLimitError;
}
