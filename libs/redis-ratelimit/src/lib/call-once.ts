// Sends one command so that it runs at most once, and so that a connection that is not open yet
// costs a short wait instead of a failure. Without the offline queue (`rateLimitClusterOptions`)
// ioredis refuses a command at once when its connection is not open; a refused command was never
// written, so it is sent again once the node (or the client) is ready, until the deadline. A
// command that may have been written is never sent again (once-command.ts tells them apart), and
// nothing is written at or after the deadline, when the caller has had its answer.
import type { Cluster, Redis } from 'ioredis';
import { ioredisModule } from './ioredis-module.js';
import { CallAttempts, type DefinedScript } from './call-attempts.js';
import {
  onceCommandClass,
  type CommandArgument,
  type CommandOptions,
  type OnceCommandClass,
} from './once-command.js';
import { assertTimeout } from './validate.js';
import { warmCluster } from './warm-cluster.js';

/** Options of {@link callOnce}. */
export interface CallOnceOptions {
  /**
   * How long the call may wait for a connection, in milliseconds (default 500). Nothing is written
   * after it; a command written before it is answered (or times out) as the client says.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 500;

/** What sending on one client needs, looked up once per client. */
interface Sender {
  readonly Command: OnceCommandClass;
  readonly options: CommandOptions;
}

const senders = new WeakMap<Redis | Cluster, Sender | null>();
let OnceCommandOf: OnceCommandClass | undefined;

/** The sender for `client`, or `null` for a client of another ioredis copy. */
function senderFor(client: Redis | Cluster): Sender | null {
  let sender = senders.get(client);
  if (sender === undefined) {
    const lib = ioredisModule();
    if (lib === null || !(client instanceof lib.Redis || client instanceof lib.Cluster)) {
      sender = null;
    } else {
      OnceCommandOf ??= onceCommandClass(lib.Command);
      const { keyPrefix } = client.options;
      // One options object for every command: ioredis's Command only reads it.
      const options: CommandOptions = { replyEncoding: 'utf8' };
      if (keyPrefix) options.keyPrefix = keyPrefix;
      sender = { Command: OnceCommandOf, options };
      if (client.isCluster) warmCluster(client as Cluster);
    }
    senders.set(client, sender);
  }
  return sender;
}

/** `undefined`: not a defined script; `null`: defined, but not readable as ioredis 6 stores it. */
function definedScript(client: Redis | Cluster, name: string): DefinedScript | null | undefined {
  const scripts = client.scriptsSet as Record<string, Partial<DefinedScript>>;
  if (!Object.hasOwn(scripts, name)) return undefined;
  const script = scripts[name]!;
  return typeof script.lua === 'string' && typeof script.sha === 'string' ? (script as DefinedScript) : null;
}

/**
 * Runs one Redis command, or one Lua script defined on the client with `defineCommand`, at most
 * once. When ioredis refuses it because its connection is not open (the client still connecting,
 * or on Redis Cluster the node it routes to: ioredis connects to nodes on their first command),
 * it was never written, so it waits for that connection and sends it then, for up to `timeoutMs`.
 * A command that may have been written is never sent again; its failure is the caller's answer.
 * Use it with a client that does not replay commands itself (`rateLimitRedisOptions`,
 * `rateLimitClusterOptions`). `RateLimiter` and `Lockout` send every call on a Cluster this way.
 *
 * @param client - An ioredis `Redis` or `Cluster`.
 * @param command - A command name (`'set'`), or the name a script was defined under.
 * @param args - The arguments, as the command (or the defined script's method) takes them.
 * @param options - `timeoutMs`: how long to wait for a connection (default 500).
 * @returns The reply, decoded as UTF-8 strings (as ioredis's non-`Buffer` methods do).
 * @throws {@link RateLimitUnavailableError} When no connection was ready within `timeoutMs`
 *   (nothing was sent) or the client was closed; otherwise whatever ioredis rejected with.
 * @throws {@link RateLimitConfigError} When `timeoutMs` is not a positive integer.
 * @example
 * ```ts
 * cluster.defineCommand('verify:1.0.0', { numberOfKeys: 1, lua });
 * await callOnce(cluster, 'set', ['{u:1}:code', hash, 'PX', 300_000], { timeoutMs: 500 });
 * const reply = await callOnce(cluster, 'verify:1.0.0', ['{u:1}:code', hash], { timeoutMs: 500 });
 * ```
 */
export function callOnce(
  client: Redis | Cluster,
  command: string,
  args: readonly CommandArgument[],
  options: CallOnceOptions = {},
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    assertTimeout(timeoutMs);
  } catch (error) {
    return Promise.reject(error);
  }
  return callBefore(client, command, args, performance.now() + timeoutMs);
}

/** {@link callOnce} with a `performance.now()` deadline instead of a timeout. */
export function callBefore(
  client: Redis | Cluster,
  command: string,
  args: readonly CommandArgument[],
  deadline: number = performance.now() + DEFAULT_TIMEOUT_MS,
): Promise<unknown> {
  const sender = senderFor(client);
  const script = definedScript(client, command);
  if (sender === null || script === null) return fallbackCall(client, command, args, script);
  const options = script?.readOnly ? { ...sender.options, readOnly: true } : sender.options;
  return new CallAttempts(client, sender.Command, options, command, args, script, deadline).run();
}

/** A client of another ioredis copy: its own methods, as before (no wait, no resend). */
function fallbackCall(
  client: Redis | Cluster,
  command: string,
  args: readonly CommandArgument[],
  script: DefinedScript | null | undefined,
): Promise<unknown> {
  if (script === undefined) return client.call(command, ...args);
  const method = (client as unknown as Record<string, (...a: CommandArgument[]) => Promise<unknown>>)[
    command
  ]!;
  return method.apply(client, [...args]);
}
