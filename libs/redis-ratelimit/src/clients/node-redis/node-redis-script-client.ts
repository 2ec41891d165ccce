// The adapter for node-redis v5 and v6, client and cluster. Every call is one raw `EVALSHA`
// (`sendCommand`), which node-redis queues and writes with the other commands of the tick.
// node-redis never writes a command twice: a command written before its connection dropped is
// rejected, never resent (v5, v6 `flushWaitingForReply`); one not yet written waits in the queue
// for the reconnect (or, with `disableOfflineQueue`, is refused). Each call passes its abort
// signal, which the limiter aborts at the deadline, before it answers: node-redis then drops the
// command if it is still queued, so nothing is written after the caller has its answer.
import { RateLimitNotSentError, RateLimitUnavailableError } from '../../lib/errors.js';
import type { RedisScriptClient, ScriptCall } from '../../redis/script-client.js';
import { waitFor } from '../../redis/wait-for.js';
import {
  isNodeRedisCluster,
  refusedUnwritten,
  type NodeRedisCluster,
  type NodeRedisLike,
  type NodeRedisStandalone,
} from './node-redis-shape.js';

// A client emits `ready` and `end`; a cluster `connect` (discovered) and `disconnect` (closed).
const CLIENT_EVENTS = ['ready', 'end'] as const;
const CLUSTER_EVENTS = ['connect', 'disconnect'] as const;
/** Replies are integers, arrays and status strings: the default decoding, whatever the client's. */
const TYPE_MAPPING: Record<string, never> = Object.freeze({});

export class NodeRedisScriptClient implements RedisScriptClient {
  readonly clientName: string;
  readonly isCluster: boolean;
  readonly keyPrefix: string;
  readonly #client: NodeRedisLike;

  /** @param client - A node-redis client or cluster (it must be connected: `await client.connect()`). */
  constructor(client: NodeRedisLike) {
    this.#client = client;
    this.isCluster = isNodeRedisCluster(client);
    this.clientName = this.isCluster ? 'node-redis cluster' : 'node-redis client';
    const prefix = client._keyPrefix;
    this.keyPrefix = typeof prefix === 'string' ? prefix : Buffer.isBuffer(prefix) ? prefix.toString() : '';
  }

  isReady(): boolean {
    const client = this.#client;
    // A node-redis 5 cluster has no `isReady`: it is ready once `connect()` resolved.
    return client.isReady ?? client.isOpen;
  }

  whenReady(until: number): Promise<void> {
    const client = this.#client;
    if (!client.isOpen) {
      return Promise.reject(
        new RateLimitUnavailableError(
          `Redis is unavailable: the ${this.clientName} is not open (closed, or connect() was never called)`,
        ),
      );
    }
    if (this.isReady()) return Promise.resolve();
    return waitFor(client, this.isCluster ? CLUSTER_EVENTS : CLIENT_EVENTS, until);
  }

  evalSha(call: ScriptCall): Promise<unknown> {
    const { keys, args } = call;
    const prefix = this.keyPrefix;
    const first = prefix + (keys[0] ?? '');
    let argv: string[];
    if (keys.length === 1 && args.length === 2) {
      // `consume`, the per-request call: one literal, no loop.
      argv = ['EVALSHA', call.sha, '1', first, args[0]!, args[1]!];
    } else {
      argv = ['EVALSHA', call.sha, String(keys.length)];
      for (let i = 0; i < keys.length; i++) argv.push(prefix + keys[i]!);
      for (let i = 0; i < args.length; i++) argv.push(args[i]!);
    }
    return this.#send(first, argv, call);
  }

  scriptLoad(lua: string, key: string, deadline: number): Promise<unknown> {
    return this.#send(this.keyPrefix + key, ['SCRIPT', 'LOAD', lua], { deadline, signal: undefined });
  }

  /**
   * A standalone client is ready when the limiter sends (it waits for that), so the command is
   * written in this tick; node-redis's own `timeout` (the time left, rounded down, so it drops a
   * command still queued no later than the limiter answers) covers a stalled event loop, at no
   * cost per call. A cluster's node may be reconnecting while the cluster is ready, so there the
   * command can wait in that node's queue: the call's abort signal drops it at the deadline.
   */
  #send(
    routingKey: string,
    argv: string[],
    call: { readonly deadline: number; readonly signal: AbortSignal | undefined },
  ): Promise<unknown> {
    // Rounded down to 10 ms: node-redis keeps a timer list per timeout value, so calls share a few
    // lists instead of one per millisecond; dropping a still-queued command a little early is safe.
    const remaining = call.deadline - performance.now();
    const timeout = remaining >= 10 ? remaining - (remaining % 10) : Math.floor(remaining);
    if (timeout < 1)
      return Promise.reject(new RateLimitNotSentError('Redis is unavailable: the deadline passed'));
    const sent = this.isCluster
      ? (this.#client as NodeRedisCluster).sendCommand(routingKey, false, argv, {
          abortSignal: call.signal,
          timeout,
          typeMapping: TYPE_MAPPING,
        })
      : (this.#client as NodeRedisStandalone).sendCommand(argv, { timeout, typeMapping: TYPE_MAPPING });
    return sent;
  }

  /** The client's own promise goes back as is; this tells which rejections were never written. */
  notSent(error: unknown): boolean {
    return refusedUnwritten(error);
  }
}
