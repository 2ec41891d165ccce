/**
 * The seam between the limiter and a Redis client: everything a Lua script call needs, and
 * nothing else. `RateLimiter`, `Lockout`, `RedisStore` and `runRedisScript` accept ioredis,
 * iovalkey and node-redis clients as they are (each has a built-in adapter); any other client
 * plugs in by implementing this interface.
 */

/**
 * One `EVALSHA`, as the limiter hands it to a client adapter. It is a self-contained value
 * (keys, arguments, deadline), so that several calls for one slot can be written together.
 */
export interface ScriptCall {
  /** SHA1 of the script: `EVALSHA`'s first argument. */
  readonly sha: string;
  /**
   * `KEYS`: every key the script touches. On a Cluster they share one slot, and `keys[0]` is
   * the key the call routes by.
   */
  readonly keys: readonly string[];
  /** `ARGV`, as strings. */
  readonly args: readonly string[];
  /**
   * A `performance.now()` time: the command must not be written at or after it (the caller has
   * had its answer then). Until then the adapter may wait for a connection.
   */
  readonly deadline: number;
  /**
   * Aborted at the deadline, before the caller is answered. A client that queues commands while
   * it connects should get it, so that a command still queued at the deadline is dropped there.
   */
  readonly signal: AbortSignal;
}

/**
 * A Redis client as the limiter uses it: readiness, `EVALSHA` routed by key, and `SCRIPT LOAD`
 * on the node that owns a key. The limiter does the rest: it waits for readiness, answers
 * `NOSCRIPT` by loading the script and sending the call again, sends again a call the adapter
 * says it never wrote, and holds every call to its deadline.
 *
 * Rules for an adapter:
 * - Never send a command again that may have reached the server (no automatic resend after a
 *   reconnect): a script that ran twice counts twice.
 * - Reject with {@link RateLimitNotSentError} when the command was certainly not written (the
 *   client refused it, or the deadline passed while it was queued), or say so through `notSent`;
 *   the limiter may then send it again before the deadline. Any other rejection means "it may
 *   have run".
 * - Reject an error reply with an `Error` whose `message` is the server's text as is
 *   (`NOSCRIPT …`, `WRONGTYPE …`): that is how the limiter recognises one.
 *
 * @example
 * ```ts
 * const adapter: RedisScriptClient = {
 *   clientName: 'my-client',
 *   isCluster: false,
 *   isReady: () => client.connected,
 *   whenReady: (until) => client.waitForConnection(until - performance.now()),
 *   evalSha: (call) => client.command(['EVALSHA', call.sha, String(call.keys.length), ...call.keys, ...call.args]),
 *   scriptLoad: (lua) => client.command(['SCRIPT', 'LOAD', lua]),
 * };
 * const limiter = new RateLimiter({ redis: adapter, failureMode: 'throw' });
 * ```
 */
export interface RedisScriptClient {
  /** Names the client in error messages, e.g. `"ioredis Cluster"`. */
  readonly clientName: string;
  /** Whether this is a Redis Cluster client: the keys of one call must then share a slot. */
  readonly isCluster: boolean;
  /**
   * Optional: the prefix the client itself adds to every key (ioredis's and node-redis's
   * `keyPrefix`). On a Cluster the limiter computes a key's slot from the key as the server sees
   * it, to tell which calls can share one script. Leave it out when the client adds none.
   */
  readonly keyPrefix?: string;
  /** `true` when a call made now is written without waiting for a connection. */
  isReady(): boolean;
  /**
   * Resolves once the client (on a Cluster: the node serving `key`, when given) is ready, or at
   * `until` (a `performance.now()` time), whichever comes first. Rejects when the client was
   * closed for good, so that waiting calls fail at once.
   *
   * @param until - When to stop waiting.
   * @param key - The key a call is about to route by, if any.
   */
  whenReady(until: number, key?: string): Promise<void>;
  /**
   * Sends `EVALSHA sha numkeys ...keys ...args`, routed by `call.keys[0]` on a Cluster.
   *
   * @param call - The call; the adapter must not write it at or after `call.deadline`.
   * @returns The script's reply, as the client decodes it (integers as numbers).
   */
  evalSha(call: ScriptCall): Promise<unknown>;
  /**
   * Sends `SCRIPT LOAD lua` to the server (on a Cluster: the primary that serves `key`).
   *
   * @param lua - The script's source.
   * @param key - A key of the call that met `NOSCRIPT`.
   * @param deadline - `performance.now()` time from which nothing may be written.
   * @returns Resolves once loaded (with the SHA1 the server computed).
   */
  scriptLoad(lua: string, key: string, deadline: number): Promise<unknown>;
  /**
   * Optional: whether `error`, a rejection of `evalSha` or `scriptLoad`, says the command was
   * certainly not written, as a {@link RateLimitNotSentError} would. It lets an adapter hand back
   * the client's own promise as is, without a wrapper promise per call.
   *
   * @param error - What the call rejected with.
   * @returns `true` when the command was never written.
   */
  notSent?(error: unknown): boolean;
}
