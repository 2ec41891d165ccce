// What the limiter reads of a node-redis client (`redis` v5 and v6: `createClient()`,
// `createCluster()`), found by shape rather than by `instanceof`: an app may hold clients of
// several copies, and this package never imports the client. Everything here that is not
// documented node-redis API is pinned by test/clients/node-redis-internals.test.ts.

/**
 * A node-redis client or cluster (`redis` v5 or v6), as the `redis` option takes it. Only the
 * members the limiter reads are listed, so either fits as it is.
 *
 * @example
 * ```ts
 * const redis: NodeRedisClient = await createClient({ url }).connect();
 * ```
 */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  /** Absent on a node-redis 5 cluster (ready once `connect()` resolves). */
  readonly isReady?: boolean;
  sendCommand(...args: never[]): unknown;
}

/** The command options the adapter passes (node-redis `CommandOptions`). */
export interface NodeRedisCommandOptions {
  readonly abortSignal?: AbortSignal | undefined;
  readonly timeout: number;
  readonly typeMapping: Record<string, never>;
}

/** A node-redis client or cluster as the adapter drives it. */
export interface NodeRedisLike extends NodeRedisClient {
  /** The client's `keyPrefix` (node-redis 6; applied to its command methods, not to `sendCommand`). */
  readonly _keyPrefix?: unknown;
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

export interface NodeRedisStandalone extends NodeRedisLike {
  sendCommand(args: string[], options: NodeRedisCommandOptions): Promise<unknown>;
}

export interface NodeRedisCluster extends NodeRedisLike {
  sendCommand(
    firstKey: string,
    isReadonly: boolean,
    args: string[],
    options: NodeRedisCommandOptions,
  ): Promise<unknown>;
}

/** Whether `client` looks like a node-redis client or cluster (v5 or v6). */
export function isNodeRedis(client: object): client is NodeRedisLike {
  const c = client as Partial<NodeRedisLike>;
  return (
    typeof c.isOpen === 'boolean' &&
    (typeof c.isReady === 'boolean' || isNodeRedisCluster(c as NodeRedisLike)) &&
    typeof c.sendCommand === 'function' &&
    typeof c.once === 'function'
  );
}

/** Whether a node-redis client is a cluster (`createCluster()`): it routes by key itself. */
export function isNodeRedisCluster(client: NodeRedisLike): client is NodeRedisCluster {
  const c = client as unknown as { nodeClient?: unknown; getSlotRandomNode?: unknown };
  return typeof c.nodeClient === 'function' && typeof c.getSlotRandomNode === 'function';
}

// node-redis rejects a command with these before it is queued, or while it waits in the queue
// unwritten (v5 and v6 `errors.ts`: ClientClosedError, ClientOfflineError, AbortError, and the
// TimeoutError of a command that waited too long to be sent).
const REFUSED_UNWRITTEN = new Set([
  'The client is closed',
  'The client is offline',
  'The command was aborted',
]);
const TIMED_OUT_UNWRITTEN = /^Command timed out after \d+ms waiting to be sent$/;

/** Whether node-redis refused `error`'s command without writing it. */
export function refusedUnwritten(error: unknown): boolean {
  return (
    error instanceof Error &&
    (REFUSED_UNWRITTEN.has(error.message) || TIMED_OUT_UNWRITTEN.test(error.message))
  );
}
