import type { Cluster, Redis } from 'ioredis';
import { assertReplaySafe } from './client-options.js';
import { RateLimitUnavailableError } from './errors.js';
import { keySlot } from './key-slot.js';
import { commandName, defineScripts } from './script-loader.js';
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
 * `Redis` or a `Cluster` client.
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
  #ready: Promise<void> | undefined;

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
  }

  isReady(): boolean {
    return this.#client.status === 'ready';
  }

  waitUntilReady(timeoutMs: number): Promise<void> {
    const client = this.#client;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') {
      return Promise.reject(new RateLimitUnavailableError('Redis is unavailable: the client was closed'));
    }
    if (client.status === 'wait') client.connect().catch(() => undefined);
    // One listener shared by every waiting call (a listener per call would leak on long outages).
    this.#ready ??= new Promise<void>((resolve) => {
      client.once('ready', () => {
        this.#ready = undefined;
        resolve();
      });
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RateLimitUnavailableError(`Redis is unavailable: not connected (${client.status})`)),
        timeoutMs,
      );
      this.#ready!.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  canConsumeTogether(keys: readonly string[]): boolean {
    if (!this.#cluster || keys.length < 2) return true;
    const slot = keySlot(keys[0]!);
    for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]!) !== slot) return false;
    return true;
  }

  consumeWindow(key: string, limit: number, windowMs: number, countDenied: boolean): Promise<ConsumeReply> {
    const scripts = this.#scripts;
    // Shortest ARGV on the hot path: the flag is only sent when set.
    return (
      countDenied ? scripts[CONSUME]!(key, limit, windowMs, '1') : scripts[CONSUME]!(key, limit, windowMs)
    ) as Promise<ConsumeReply>;
  }

  consumeWindows(keys: readonly string[], specs: readonly WindowSpec[]): Promise<readonly number[]> {
    const args: (string | number)[] = [keys.length, ...keys];
    for (const spec of specs) args.push(spec.limit, spec.windowMs, spec.countDenied ? '1' : '0');
    return this.#scripts[CONSUME_ALL]!(...args) as Promise<readonly number[]>;
  }

  peekWindow(key: string): Promise<WindowReply> {
    return this.#scripts[PEEK]!(key) as Promise<WindowReply>;
  }

  refundWindow(key: string, amount: number, windowMs: number): Promise<WindowReply> {
    return this.#scripts[REFUND]!(key, amount, windowMs) as Promise<WindowReply>;
  }

  async resetWindow(key: string): Promise<void> {
    await this.#client.del(key);
  }

  recordFailure(key: string, maxFailures: number, windowMs: number, lockMs: number): Promise<LockoutReply> {
    return this.#scripts[FAIL]!(key, maxFailures, windowMs, lockMs) as Promise<LockoutReply>;
  }

  checkLockout(key: string): Promise<LockoutReply> {
    return this.#scripts[CHECK]!(key) as Promise<LockoutReply>;
  }

  async clearLockout(key: string): Promise<void> {
    await this.#client.del(key);
  }
}
