// The adapter for `@valkey/valkey-glide` (GlideClient and GlideClusterClient, v2). Each call is a
// one-command, non-atomic batch, because a batch is what glide gives a timeout per request: it is
// the time left to the call's deadline, which glide applies to sending the request as well as to
// its answer, so glide never sends a call after the limiter answered. Glide never sends a command
// again that may have reached the server (no retry on a connection error: its default, for
// batches `retryStrategy.retryConnectionError: false`), and it keeps reconnecting by itself.
// Error replies come as `RequestError`s whose message wraps the server's text; they are passed on
// in Redis's own form (`NOSCRIPT …`, `WRONGTYPE …`) so the limiter knows them. What this relies on
// that is not documented glide API is pinned by test/clients/valkey-glide.test.ts.
import { Batch, ClusterBatch } from '@valkey/valkey-glide';
import { RateLimitNotSentError, RateLimitUnavailableError } from '../../lib/errors.js';
import type { RedisScriptClient, ScriptCall } from '../../redis/script-client.js';

/**
 * A valkey-glide `GlideClient` or `GlideClusterClient`, as {@link glideScriptClient} takes it
 * (the members it uses).
 *
 * @example
 * ```ts
 * const client: GlideLikeClient = await GlideClient.createClient({ addresses: [{ host, port }] });
 * ```
 */
export interface GlideLikeClient {
  exec(batch: never, raiseOnError: boolean, options?: never): Promise<unknown>;
  customCommand(args: never, options?: never): Promise<unknown>;
}

interface GlideRuntime {
  /** Set by `close()` (a protected field of glide's `BaseClient`). */
  readonly isClosed?: boolean;
  exec(
    batch: Batch | ClusterBatch,
    raiseOnError: boolean,
    options: { timeout: number; route?: { type: 'primarySlotKey'; key: string } },
  ): Promise<unknown[] | null>;
}

// Glide words error replies in two ways: "WRONGTYPE: Operation against a key…" (the code, a
// colon), and for the kinds it names itself "An error was signalled by the server: -
// NoScriptError: No matching script. Please use EVAL.".
const CODE_COLON = /^([A-Z][A-Z0-9_-]+): ([\s\S]*)$/;
const SIGNALLED = /^An error was signalled by the server: - (\w+): ([\s\S]*)$/;

/** A glide error in the form Redis replies it (`NOSCRIPT …`, `WRONGTYPE …`), so the limiter knows it. */
function asRedisError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const coded = CODE_COLON.exec(error.message);
  if (coded !== null) return new Error(`${coded[1]} ${coded[2]}`, { cause: error });
  const signalled = SIGNALLED.exec(error.message);
  if (signalled === null) return error;
  const [, kind, text] = signalled as unknown as [string, string, string];
  return new Error(kind === 'NoScriptError' ? `NOSCRIPT ${text}` : `ERR ${kind}: ${text}`, { cause: error });
}

class GlideScriptClient implements RedisScriptClient {
  readonly clientName: string;
  readonly isCluster: boolean;
  readonly #client: GlideRuntime;

  constructor(client: GlideRuntime, isCluster: boolean) {
    this.#client = client;
    this.isCluster = isCluster;
    this.clientName = isCluster ? 'valkey-glide cluster client' : 'valkey-glide client';
  }

  isReady(): boolean {
    // Glide reconnects by itself and holds requests meanwhile (each within its own timeout).
    return this.#client.isClosed !== true;
  }

  whenReady(): Promise<void> {
    if (this.#client.isClosed === true) {
      return Promise.reject(
        new RateLimitUnavailableError(`Redis is unavailable: the ${this.clientName} was closed`),
      );
    }
    return Promise.resolve();
  }

  evalSha(call: ScriptCall): Promise<unknown> {
    const { keys, args } = call;
    return this.#send(
      ['EVALSHA', call.sha, String(keys.length), ...keys, ...args],
      keys[0] ?? '',
      call.deadline,
    );
  }

  scriptLoad(lua: string, key: string, deadline: number): Promise<unknown> {
    return this.#send(['SCRIPT', 'LOAD', lua], key, deadline);
  }

  async #send(command: string[], key: string, deadline: number): Promise<unknown> {
    const timeout = Math.floor(deadline - performance.now());
    if (timeout < 1)
      throw new RateLimitNotSentError('Redis is unavailable: the deadline passed before sending');
    const batch = this.isCluster ? new ClusterBatch(false) : new Batch(false);
    batch.customCommand(command);
    const options = this.isCluster
      ? { timeout, route: { type: 'primarySlotKey' as const, key } }
      : { timeout };
    let replies: unknown[] | null;
    try {
      replies = await this.#client.exec(batch, true, options);
    } catch (error) {
      throw asRedisError(error);
    }
    return replies?.[0];
  }
}

/**
 * Wraps a valkey-glide client (v2: `GlideClient` or `GlideClusterClient`) for the `redis` option of
 * `RateLimiter` and `Lockout`, `RedisStore`, `runRedisScript` and `@tses/otp`'s `RedisOtpStore`.
 * Create the client with a `requestTimeout` no longer than the limiter's `timeoutMs` (see README
 * "Clients: valkey-glide"); glide's own `Logger` decides what glide prints.
 *
 * @param client - A connected glide client; the caller owns (and closes) it.
 * @param options - `cluster`: whether `client` is a `GlideClusterClient` (default: told by its class name).
 * @returns The adapter.
 * @throws Never.
 * @example
 * ```ts
 * import { GlideClient } from '@valkey/valkey-glide';
 * import { RateLimiter } from '@tses/redis-ratelimit';
 * import { glideScriptClient } from '@tses/redis-ratelimit/valkey-glide';
 *
 * const glide = await GlideClient.createClient({ addresses: [{ host: '127.0.0.1', port: 6379 }], requestTimeout: 500 });
 * const limiter = new RateLimiter({ redis: glideScriptClient(glide), failureMode: 'throw', timeoutMs: 500 });
 * ```
 */
export function glideScriptClient(
  client: GlideLikeClient,
  options: { readonly cluster?: boolean } = {},
): RedisScriptClient {
  const isCluster = options.cluster ?? client.constructor.name === 'GlideClusterClient';
  return new GlideScriptClient(client as unknown as GlideRuntime, isCluster);
}
