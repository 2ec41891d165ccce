/**
 * `@tses/redis-ratelimit`: atomic fixed-window rate limits and lockouts on Redis and Redis Cluster,
 * in versioned Lua scripts, with an in-memory store behind the same interface. Works with
 * ioredis 5/6, iovalkey and node-redis 5/6 clients as they are, and any other client behind a
 * `RedisScriptClient`.
 *
 * @packageDocumentation
 */
export { RateLimiter } from './lib/rate-limiter.js';
export type { RateLimiterOptions } from './lib/rate-limiter.js';
export type {
  LimiterTelemetryOptions,
  RateLimitDecisionEvent,
  RateLimitOutcome,
} from './lib/limiter-telemetry.js';
export type { TelemetryOptions, MeterProviderLike, TracerProviderLike } from '@tses/core';
export type { ShieldOptions } from './lib/shield.js';
export { Lockout } from './lib/lockout.js';
export type { LockoutOptions } from './lib/lockout.js';
export type {
  LockoutEvent,
  LockoutOperation,
  LockoutOutcome,
  LockoutTelemetryOptions,
} from './lib/lockout-telemetry.js';
export type { StoreOptions } from './lib/store-caller.js';
export { RedisStore } from './lib/redis-store.js';
export { MemoryStore } from './lib/memory-store.js';
export type { RateLimitStore, WindowReply, ConsumeReply, LockoutReply, WindowSpec } from './lib/store.js';
export { rateLimitRedisOptions, rateLimitClusterOptions } from './clients/ioredis/client-options.js';
export type { IoredisClient } from './clients/ioredis/ioredis-shape.js';
export type { NodeRedisClient } from './clients/node-redis/node-redis-shape.js';
export type { RedisScriptClient, ScriptCall } from './redis/script-client.js';
export { redisScriptClient } from './redis/script-client-for.js';
export type { RedisClient } from './redis/script-client-for.js';
export { defineRedisScripts } from './redis/redis-scripts.js';
export type { RedisScript } from './redis/redis-scripts.js';
export { runRedisScript } from './redis/run-redis-script.js';
export type { RunRedisScriptOptions } from './redis/run-redis-script.js';
export {
  RateLimitError,
  RateLimitUnavailableError,
  RateLimitNotSentError,
  RateLimitTimeoutError,
  RateLimitStoreError,
  RateLimitConfigError,
  RateLimitKeyError,
} from './lib/errors.js';
export type { RateLimitErrorCode, AnyRateLimitError } from './lib/errors.js';
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
