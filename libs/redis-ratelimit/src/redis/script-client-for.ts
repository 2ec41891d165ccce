// Which adapter a client gets, by its shape (apps may hold clients of several copies of one
// package, so never by `instanceof`). One adapter per client object, so a client shared by a
// limiter, a lockout and an OTP store is checked and prepared once.
import { IoredisScriptClient } from '../clients/ioredis/ioredis-script-client.js';
import { isIoredis, type IoredisClient } from '../clients/ioredis/ioredis-shape.js';
import { NodeRedisScriptClient } from '../clients/node-redis/node-redis-script-client.js';
import { isNodeRedis, type NodeRedisClient } from '../clients/node-redis/node-redis-shape.js';
import { RateLimitConfigError } from '../lib/errors.js';
import type { RedisScriptClient } from './script-client.js';

/**
 * A Redis client the library accepts as it is: an ioredis 5/6 or iovalkey `Redis` or `Cluster`,
 * a node-redis 5/6 client or cluster, or any other client behind a {@link RedisScriptClient}.
 *
 * @example
 * ```ts
 * const redis: RedisClient = await createClient({ url }).connect(); // node-redis
 * ```
 */
export type RedisClient = IoredisClient | NodeRedisClient | RedisScriptClient;

const adapters = new WeakMap<object, RedisScriptClient>();

function isScriptClient(client: object): client is RedisScriptClient {
  const c = client as Partial<RedisScriptClient>;
  return (
    typeof c.evalSha === 'function' &&
    typeof c.scriptLoad === 'function' &&
    typeof c.whenReady === 'function' &&
    typeof c.isReady === 'function'
  );
}

function describe(client: unknown): string {
  if (client === null || typeof client !== 'object') return String(client);
  const glide = client as { invokeScript?: unknown; customCommand?: unknown };
  if (typeof glide.invokeScript === 'function' && typeof glide.customCommand === 'function') {
    return "a valkey-glide client: wrap it with glideScriptClient() from '@tses/redis-ratelimit/valkey-glide'";
  }
  return `an object of class ${client.constructor?.name ?? 'Object'} that is neither`;
}

/**
 * The adapter the library drives `client` through: the built-in one for ioredis, iovalkey and
 * node-redis, or `client` itself when it already is a {@link RedisScriptClient}. Checks the
 * client's settings once (see README "Clients").
 *
 * @param client - The client given as `redis` (or to `RedisOtpStore`).
 * @returns The adapter (the same object for the same client).
 * @throws {@link RateLimitConfigError} For an unsupported object, or a client whose settings
 *   could replay a call (the message names the client and the setting).
 * @example
 * ```ts
 * const adapter = redisScriptClient(new Redis(url, { ...rateLimitRedisOptions }));
 * adapter.clientName; // 'ioredis Redis client'
 * ```
 */
export function redisScriptClient(client: RedisClient): RedisScriptClient {
  if (client === null || typeof client !== 'object') {
    throw new RateLimitConfigError(`redis must be a Redis client, got ${describe(client)}`);
  }
  let adapter = adapters.get(client);
  if (adapter === undefined) {
    if (isScriptClient(client)) adapter = client;
    else if (isIoredis(client)) adapter = new IoredisScriptClient(client);
    else if (isNodeRedis(client)) adapter = new NodeRedisScriptClient(client);
    else {
      throw new RateLimitConfigError(
        `redis must be an ioredis or iovalkey Redis/Cluster, a node-redis client/cluster, or a RedisScriptClient; got ${describe(client)}.`,
      );
    }
    adapters.set(client, adapter);
  }
  return adapter;
}
