// What the limiter reads of an ioredis client (ioredis 5 and 6, and iovalkey, their fork), found
// by shape rather than by `instanceof`: an app may hold clients of several copies, and this
// package never imports the client. Everything here that is not documented ioredis API is pinned
// by test/clients/ioredis-internals.test.ts.

/**
 * An ioredis `Redis` or `Cluster` (ioredis 5 or 6, or iovalkey), as the `redis` option takes it.
 * Only the members the limiter reads are listed, so any of those clients fits as it is.
 *
 * @example
 * ```ts
 * const redis: IoredisClient = new Redis(url, { ...rateLimitRedisOptions });
 * ```
 */
export interface IoredisClient {
  readonly isCluster: boolean;
  readonly status: string;
  readonly options: object;
  sendCommand(command: never, ...rest: never[]): unknown;
}

/** A connection (standalone client or Cluster node) as the waits below see it. */
export interface IoredisConnection {
  readonly status: string;
  readonly options: { readonly host?: string; readonly port?: number; readonly readOnly?: boolean };
  readonly stream?: { cork(): void; uncork(): void };
  connect(): Promise<unknown>;
  sendCommand(command: unknown): unknown;
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** The ioredis `Command` class (documented as `Redis.Command`). */
export interface IoredisCommandClass {
  new (
    name: string,
    args: (string | number | Buffer)[],
    options: { replyEncoding?: string | null; keyPrefix?: string; readOnly?: boolean },
  ): IoredisCommand;
}

/** The parts of an ioredis `Command` the limiter's own commands use. */
export interface IoredisCommand {
  name: string;
  args: unknown[];
  slot?: number | null;
  readonly promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
  toWritable(socket: object): string | Buffer;
}

/** A standalone client or a Cluster, as the adapter drives it. */
export interface IoredisLike extends IoredisConnection {
  readonly isCluster: boolean;
  readonly options: IoredisConnection['options'] & {
    readonly keyPrefix?: string;
    readonly enableAutoPipelining?: boolean;
    readonly autoResendUnfulfilledCommands?: boolean;
    readonly retryDelayOnFailover?: number;
  };
  /** Cluster only: the slot map (`slots[slot][0]` is the primary's `host:port`). */
  readonly slots?: readonly (readonly string[] | undefined)[];
  /** Cluster only: its node connections. */
  nodes?(role: 'master'): IoredisConnection[];
}

/** Whether `client` looks like an ioredis (or iovalkey) `Redis` or `Cluster`. */
export function isIoredis(client: object): client is IoredisLike {
  const c = client as Partial<IoredisLike>;
  return (
    typeof c.isCluster === 'boolean' &&
    typeof c.status === 'string' &&
    typeof c.options === 'object' &&
    typeof c.sendCommand === 'function' &&
    typeof c.connect === 'function'
  );
}

/**
 * The `Command` class of the copy `client` comes from. `Redis.Command` is not reachable from an
 * instance (ioredis mixes `EventEmitter` into its prototype, `constructor` included), so the
 * class is taken from a command the client builds: `script` is never auto-pipelined, so its
 * method hands the new `Command` straight to `sendCommand`, which is stubbed for that one call
 * (nothing is sent).
 */
export function commandClassOf(client: IoredisLike): IoredisCommandClass | undefined {
  const target = client as unknown as {
    script?: (...args: string[]) => unknown;
    sendCommand: (command: unknown) => unknown;
  };
  if (typeof target.script !== 'function') return undefined;
  const own = Object.hasOwn(target, 'sendCommand') ? target.sendCommand : undefined;
  let captured: unknown;
  target.sendCommand = (command: unknown) => {
    captured = (command as { constructor?: unknown } | null)?.constructor;
    return new Promise(() => undefined);
  };
  try {
    target.script('EXISTS', '0');
  } catch {
    // Not an ioredis client after all: `captured` stays unset.
  } finally {
    if (own === undefined) delete (target as { sendCommand?: unknown }).sendCommand;
    else target.sendCommand = own;
  }
  return typeof captured === 'function' ? (captured as IoredisCommandClass) : undefined;
}

// The errors ioredis (5, 6, iovalkey) rejects a command with when no connection was open to write
// it to, before or without writing it.
const REFUSED_UNWRITTEN = new Set([
  'Connection is closed.', // the client ended, or a Cluster node connecting or gone
  "Cluster isn't ready and enableOfflineQueue options is false",
  "Stream isn't writeable and enableOfflineQueue options is false", // standalone, not connected
]);

/**
 * Whether ioredis refused `error`'s command for want of an open connection. Only meaningful for a
 * command that was never serialised onto a socket: a node whose socket closes rejects the
 * commands it had written with the same "Connection is closed.".
 */
export function refusedForConnection(error: unknown): boolean {
  return (
    error instanceof Error &&
    (REFUSED_UNWRITTEN.has(error.message) || error.name === 'MaxRetriesPerRequestError')
  );
}

/** Replies that say the command did not run (ioredis sends it again itself after the first four). */
export const NOT_RUN_REPLY = /^(?:MOVED|ASK|TRYAGAIN|CLUSTERDOWN|NOSCRIPT) /;
