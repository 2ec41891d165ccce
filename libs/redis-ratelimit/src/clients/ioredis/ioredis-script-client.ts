// The adapter for ioredis 5 and 6 and iovalkey, `Redis` and `Cluster`. Every call is one of the
// limiter's own ioredis commands (once-command.ts), written by `sendCommand` on the client: one
// object per call, no defined-command wrapper. The commands of one event-loop turn are written to
// each socket in one go (the client's, or on a Cluster each primary's, corked until the turn
// ends), as ioredis's own auto-pipelining does for its command methods, whether or not the client
// has `enableAutoPipelining`: a server handles each request in its own I/O callback, and one
// `write` per request cost an HTTP route behind the limiter about a third of its throughput.
import { keySlot } from '../../lib/key-slot.js';
import { RateLimitConfigError, RateLimitNotSentError, RateLimitUnavailableError } from '../../lib/errors.js';
import type { RedisScriptClient, ScriptCall } from '../../redis/script-client.js';
import { assertReplaySafe } from './client-options.js';
import { nodeForSlot, waitForConnection } from './connection-waits.js';
import { commandClassOf, type IoredisConnection, type IoredisLike } from './ioredis-shape.js';
import {
  onceCommandClass,
  type CommandArgument,
  type OnceCommandClass,
  type OnceCommandOptions,
} from './once-command.js';
import { warmCluster } from './warm-cluster.js';

/** How long to wait on a connecting node before looking at the slot map again. */
const NODE_RECHECK_MS = 100;
/** The pause before trying again when there is no connection to wait on. */
const RETRY_PAUSE_MS = 10;

const noop = (): void => undefined;

export class IoredisScriptClient implements RedisScriptClient {
  readonly clientName: string;
  readonly isCluster: boolean;
  readonly keyPrefix: string;
  readonly #client: IoredisLike;
  readonly #options: OnceCommandOptions;
  #Command: OnceCommandClass | undefined;
  /** The sockets corked in this tick, uncorked at its end. */
  #corked: NonNullable<IoredisConnection['stream']>[] | undefined;

  /**
   * @param client - An ioredis (or iovalkey) `Redis` or `Cluster`.
   * @throws {@link RateLimitConfigError} When the client could replay a command.
   */
  constructor(client: IoredisLike) {
    this.isCluster = client.isCluster;
    this.clientName = this.isCluster ? 'ioredis Cluster client' : 'ioredis Redis client';
    assertReplaySafe(client, this.clientName);
    this.#client = client;
    this.keyPrefix = client.options.keyPrefix ?? '';
    // Integer and array replies are not decoded anyway; a bulk string comes back as a string.
    this.#options = this.keyPrefix
      ? { replyEncoding: 'utf8', keyPrefix: this.keyPrefix, cluster: this.isCluster }
      : { replyEncoding: 'utf8', cluster: this.isCluster };
    if (this.isCluster) {
      warmCluster(client);
    } else {
      this.#Command = this.#commandClass();
      if (this.#Command === undefined) {
        throw new RateLimitConfigError(
          `The ${this.clientName} has no Command class (Redis.Command): not an ioredis client`,
        );
      }
    }
  }

  isReady(): boolean {
    return this.#client.status === 'ready';
  }

  whenReady(until: number, key?: string): Promise<void> {
    const client = this.#client;
    if (client.status === 'end') return Promise.reject(this.#closed());
    if (client.status !== 'ready') {
      if (client.status === 'wait') client.connect().catch(noop);
      return waitForConnection(client, until);
    }
    if (!this.isCluster || key === undefined)
      return waitForConnection(undefined, Math.min(until, performance.now() + RETRY_PAUSE_MS));
    const node = nodeForSlot(client, keySlot(this.keyPrefix + key));
    if (node !== undefined && node.status !== 'ready') {
      // Never before the Cluster is ready (see warm-cluster.ts).
      if (node.status === 'wait') node.connect().catch(noop);
      return waitForConnection(node, Math.min(until, performance.now() + NODE_RECHECK_MS));
    }
    // Nothing to wait on (no node for the slot right now, or a refusal by another node, e.g. the
    // target of an ASK): look again shortly.
    return waitForConnection(undefined, Math.min(until, performance.now() + RETRY_PAUSE_MS));
  }

  evalSha(call: ScriptCall): Promise<unknown> {
    const { keys, args } = call;
    const argv: CommandArgument[] = [call.sha, keys.length];
    for (let i = 0; i < keys.length; i++) argv.push(keys[i]!);
    for (let i = 0; i < args.length; i++) argv.push(args[i]!);
    return this.#send('evalsha', argv, this.#options, call.deadline);
  }

  scriptLoad(lua: string, key: string, deadline: number): Promise<unknown> {
    // SCRIPT LOAD has no key: on a Cluster it goes to the node of the call's slot.
    const options = this.isCluster
      ? { ...this.#options, slot: keySlot(this.keyPrefix + key) }
      : this.#options;
    return this.#send('script', ['load', lua], options, deadline);
  }

  #send(
    name: string,
    args: CommandArgument[],
    options: OnceCommandOptions,
    deadline: number,
  ): Promise<unknown> {
    const client = this.#client;
    const Command = (this.#Command ??= this.#commandClass());
    if (Command === undefined) {
      return Promise.reject(new RateLimitNotSentError('Redis is unavailable: the Cluster has no node yet'));
    }
    const command = new Command(name, args, options, deadline);
    this.#cork();
    client.sendCommand(command);
    return command.promise;
  }

  /** The client's own `Command` class (a Cluster's only once it has a node). */
  #commandClass(): OnceCommandClass | undefined {
    const Base = commandClassOf(this.#client);
    return Base === undefined ? undefined : onceCommandClass(Base);
  }

  #cork(): void {
    if (this.#corked !== undefined) return;
    const corked: NonNullable<IoredisConnection['stream']>[] = [];
    const connections = this.isCluster ? (this.#client.nodes?.('master') ?? []) : [this.#client];
    for (const connection of connections) {
      const stream = connection.status === 'ready' ? connection.stream : undefined;
      if (stream === undefined) continue;
      stream.cork();
      corked.push(stream);
    }
    this.#corked = corked;
    // Uncorked after the I/O callbacks of this event-loop turn (as ioredis's own auto-pipelining
    // does), not after this callback: a server answers each request in its own callback, so
    // `nextTick` wrote once per request, and on loopback each write costs the sender the delivery
    // too. Every command was checked against its deadline when written into the cork.
    setImmediate(this.#uncork);
  }

  readonly #uncork = (): void => {
    const corked = this.#corked;
    this.#corked = undefined;
    if (corked !== undefined) for (const stream of corked) stream.uncork();
  };

  #closed(): RateLimitUnavailableError {
    return new RateLimitUnavailableError(`Redis is unavailable: the ${this.clientName} was closed`);
  }
}
