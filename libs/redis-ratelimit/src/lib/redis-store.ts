import type { Cluster, Redis } from 'ioredis';
import { callBefore } from './call-once.js';
import { assertReplaySafe } from './client-options.js';
import { waitFor } from './connection-waits.js';
import { RateLimitUnavailableError } from './errors.js';
import { keySlot } from './key-slot.js';
import { commandName, defineScripts } from './script-loader.js';
import { warmCluster } from './warm-cluster.js';
import type { ConsumeReply, LockoutReply, RateLimitStore, WindowReply, WindowSpec } from './store.js';

type Script = (...args: (string | number)[]) => Promise<unknown>;

const CONSUME = commandName('consumeWindow');
const CONSUME_ALL = commandName('consumeWindows');
const PEEK = commandName('peekWindow');
const REFUND = commandName('refundWindow');
const FAIL = commandName('recordFailure');
const CHECK = commandName('checkLockout');

/**
 * The Redis backend: every operation is one versioned Lua script (EVALSHA), on a standalone
 * `Redis` or a `Cluster` client. On a Cluster each call is sent with the rules of `callOnce`:
 * a call that ioredis refused because its node was still connecting (never written) is sent
 * again once the node is ready, until the call's deadline; one that may have run never is.
 *
 * @example
 * ```ts
 * const store = new RedisStore(new Redis(url, { ...rateLimitRedisOptions }));
 * const limiter = new RateLimiter({ store, failureMode: 'throw' });
 * ```
 */
export class RedisStore implements RateLimitStore {
  readonly #client: Redis | Cluster;
  readonly #scripts: Record<string, Script>;
  readonly #cluster: boolean;

  /**
   * @param client - An ioredis `Redis` or `Cluster`, created with `rateLimitRedisOptions` /
   *   `rateLimitClusterOptions` (or equivalent settings).
   * @throws {@link RateLimitConfigError} When the client could replay a command (see README).
   */
  constructor(client: Redis | Cluster) {
    assertReplaySafe(client);
    defineScripts(client);
    this.#client = client;
    this.#scripts = client as unknown as Record<string, Script>;
    this.#cluster = client.isCluster;
    if (this.#cluster) warmCluster(client as Cluster);
  }

  isReady(): boolean {
    return this.#client.status === 'ready';
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    const client = this.#client;
    if (client.status === 'wait') client.connect().catch(() => undefined);
    // Shares one `ready`/`end` listener pair with every other waiting call (connection-waits.ts).
    if (client.status !== 'end') await waitFor(client, performance.now() + timeoutMs);
    if (client.status === 'ready') return;
    throw new RateLimitUnavailableError(
      client.status === 'end'
        ? 'Redis is unavailable: the client was closed'
        : `Redis is unavailable: not connected (${client.status})`,
    );
  }

  canConsumeTogether(keys: readonly string[]): boolean {
    if (!this.#cluster || keys.length < 2) return true;
    const slot = keySlot(keys[0]!);
    for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]!) !== slot) return false;
    return true;
  }

  consumeWindow(
    key: string,
    limit: number,
    windowMs: number,
    countDenied: boolean,
    deadline?: number,
  ): Promise<ConsumeReply> {
    // Shortest ARGV on the hot path: the flag is only sent when set.
    if (this.#cluster) {
      const args = countDenied ? [key, limit, windowMs, '1'] : [key, limit, windowMs];
      return callBefore(this.#client, CONSUME, args, deadline) as Promise<ConsumeReply>;
    }
    const scripts = this.#scripts;
    return (
      countDenied ? scripts[CONSUME]!(key, limit, windowMs, '1') : scripts[CONSUME]!(key, limit, windowMs)
    ) as Promise<ConsumeReply>;
  }

  consumeWindows(
    keys: readonly string[],
    specs: readonly WindowSpec[],
    deadline?: number,
  ): Promise<readonly number[]> {
    const args: (string | number)[] = [keys.length, ...keys];
    for (const spec of specs) args.push(spec.limit, spec.windowMs, spec.countDenied ? '1' : '0');
    return this.#run(CONSUME_ALL, args, deadline) as Promise<readonly number[]>;
  }

  peekWindow(key: string, deadline?: number): Promise<WindowReply> {
    return this.#run(PEEK, [key], deadline) as Promise<WindowReply>;
  }

  refundWindow(key: string, amount: number, windowMs: number, deadline?: number): Promise<WindowReply> {
    return this.#run(REFUND, [key, amount, windowMs], deadline) as Promise<WindowReply>;
  }

  resetWindow(key: string, deadline?: number): Promise<void> {
    return this.#del(key, deadline);
  }

  recordFailure(
    key: string,
    maxFailures: number,
    windowMs: number,
    lockMs: number,
    deadline?: number,
  ): Promise<LockoutReply> {
    return this.#run(FAIL, [key, maxFailures, windowMs, lockMs], deadline) as Promise<LockoutReply>;
  }

  checkLockout(key: string, deadline?: number): Promise<LockoutReply> {
    return this.#run(CHECK, [key], deadline) as Promise<LockoutReply>;
  }

  clearLockout(key: string, deadline?: number): Promise<void> {
    return this.#del(key, deadline);
  }

  /**
   * One script call. On a Cluster through `callBefore`, which waits for a node that is still
   * connecting instead of failing (README "Redis Cluster: connecting"); on a standalone client
   * through the defined command (the limiter only sends once the client is ready).
   */
  #run(name: string, args: (string | number)[], deadline: number | undefined): Promise<unknown> {
    return this.#cluster ? callBefore(this.#client, name, args, deadline) : this.#scripts[name]!(...args);
  }

  async #del(key: string, deadline: number | undefined): Promise<void> {
    await (this.#cluster ? callBefore(this.#client, 'del', [key], deadline) : this.#client.del(key));
  }
}
