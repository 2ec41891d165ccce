// Why the limiter insists on one ioredis setting per kind of client: a hit must be counted at
// most once per call.
// - Standalone: with `autoResendUnfulfilledCommands` (ioredis default true) a script already
//   executed by Redis whose reply was lost with the connection is sent again after the reconnect,
//   so one call counts twice, possibly long after the caller got a timeout.
// - Cluster: with `retryDelayOnFailover > 0` (default 100) a command that failed with "Connection
//   is closed." is retried on another connection, with the same double count. (A Cluster's node
//   connections never reconnect by themselves, so their `autoResendUnfulfilledCommands` has
//   nothing to resend.)
// The offline queue is off too, so a call fails fast while disconnected instead of waiting in a
// queue; the limiter waits for the connection itself, within each call's deadline, and writes a
// PING in place of any command ioredis still held in a queue at its deadline (once-command.ts).
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { RateLimitConfigError } from '../../lib/errors.js';
import type { IoredisLike } from './ioredis-shape.js';

/**
 * ioredis options for a standalone client the limiter can use: no replay of unanswered commands,
 * no offline queue, fail fast while reconnecting. The same for iovalkey.
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
 * (they may have run), no offline queue, and the standalone settings for each node. The same for
 * iovalkey.
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

/** Throws `RateLimitConfigError`, naming the client and the setting, when `client` could run one call's script twice. */
export function assertReplaySafe(client: IoredisLike, clientName: string): void {
  if (client.isCluster) {
    const { retryDelayOnFailover } = client.options;
    if (retryDelayOnFailover !== 0) {
      throw new RateLimitConfigError(
        `The ${clientName} has retryDelayOnFailover=${String(retryDelayOnFailover)}: it would retry a hit whose connection closed after it was written, so one call could count twice. Create it with { ...rateLimitClusterOptions } (retryDelayOnFailover: 0).`,
      );
    }
    return;
  }
  if (client.options.autoResendUnfulfilledCommands !== false) {
    throw new RateLimitConfigError(
      `The ${clientName} has autoResendUnfulfilledCommands=${String(client.options.autoResendUnfulfilledCommands ?? true)}: after a reconnect it resends commands that were written but not answered, so one call could count twice. Create it with { ...rateLimitRedisOptions } (autoResendUnfulfilledCommands: false).`,
    );
  }
}
