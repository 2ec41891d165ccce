/**
 * `@tses/redis-ratelimit`: atomic fixed-window rate limits and lockouts on Redis and Redis Cluster,
 * in versioned Lua scripts, with an in-memory store behind the same interface.
 *
 * @packageDocumentation
 */
export { RateLimiter } from './lib/rate-limiter.js';
export type { RateLimiterOptions } from './lib/rate-limiter.js';
export { Lockout } from './lib/lockout.js';
export type { LockoutOptions } from './lib/lockout.js';
export type { StoreOptions } from './lib/store-caller.js';
export { RedisStore } from './lib/redis-store.js';
export { MemoryStore } from './lib/memory-store.js';
export type { RateLimitStore, WindowReply, LockoutReply, WindowSpec } from './lib/store.js';
export { rateLimitRedisOptions, rateLimitClusterOptions } from './lib/client-options.js';
export { callOnce } from './lib/call-once.js';
export type { CallOnceOptions } from './lib/call-once.js';
export {
  RateLimitError,
  RateLimitUnavailableError,
  RateLimitTimeoutError,
  RateLimitStoreError,
  RateLimitConfigError,
} from './lib/errors.js';
export { retryAfterHeader, rateLimitPolicyField, rateLimitField, rateLimitHeaders } from './lib/headers.js';
export type { RateLimitHeaderPolicy } from './lib/headers.js';
export { VERSION } from './lib/version.js';
export type {
  RateLimitRule,
  RateLimitDecision,
  RateLimitItem,
  RateLimitAllDecision,
  FailureMode,
  LockoutPolicy,
  LockoutState,
} from './types.js';
