// Why the limiter insists on two ioredis settings: a hit must be counted at most once per call.
// - Standalone: with `autoResendUnfulfilledCommands` (ioredis default true) a script already
//   executed by Redis whose reply was lost with the connection is sent again after the reconnect,
//   so one call counts twice, possibly long after the caller got a timeout.
// - Cluster: with `retryDelayOnFailover > 0` (default 100) a command that failed with "Connection
//   is closed." is retried on another connection, with the same double count.
// The offline queue is off too, so nothing waits in it to be written after the caller's timeout:
// the limiter waits for the client to be ready itself and, on a Cluster, sends a command again
// when ioredis refused it because its node was still connecting (it was never written; see
// call-once.ts), until the call's deadline.
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { RateLimitConfigError } from './errors.js';

/**
 * ioredis options for a standalone client the limiter can use: no replay of unanswered commands,
 * no offline queue, fail fast while reconnecting.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL!, { ...rateLimitRedisOptions });
 * ```
 */
export const rateLimitRedisOptions = Object.freeze({
  autoResendUnfulfilledCommands: false,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
} satisfies RedisOptions);

/**
 * ioredis options for a `Cluster` the limiter can use: no retry of commands whose connection closed
 * (they may have run), no offline queue, and the standalone settings for each node.
 *
 * @example
 * ```ts
 * const cluster = new Cluster(nodes, { ...rateLimitClusterOptions });
 * ```
 */
export const rateLimitClusterOptions = Object.freeze({
  retryDelayOnFailover: 0,
  enableOfflineQueue: false,
  redisOptions: { autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 1 },
} satisfies ClusterOptions);

/** Throws `RateLimitConfigError` when `client` could run one call's script twice. */
export function assertReplaySafe(client: Redis | Cluster): void {
  if (client.isCluster) {
    const { retryDelayOnFailover } = (client as Cluster).options;
    if (retryDelayOnFailover !== 0) {
      throw new RateLimitConfigError(
        `The Cluster client has retryDelayOnFailover=${String(retryDelayOnFailover)}: a hit whose connection closed could be counted twice. Create it with { ...rateLimitClusterOptions } (retryDelayOnFailover: 0).`,
      );
    }
    return;
  }
  if ((client as Redis).options.autoResendUnfulfilledCommands !== false) {
    throw new RateLimitConfigError(
      'The Redis client resends unanswered commands after a reconnect (autoResendUnfulfilledCommands), so a hit could be counted twice. Create it with { ...rateLimitRedisOptions } (autoResendUnfulfilledCommands: false).',
    );
  }
}
