import type { RedisScript } from '../redis/redis-scripts.js';
import { startScript } from '../redis/run-redis-script.js';
import type { RunOutcome } from '../redis/script-run.js';
import type { RedisScriptClient } from '../redis/script-client.js';
import { redisScriptClient, type RedisClient } from '../redis/script-client-for.js';
import type { RateLimitDecision } from '../types.js';
import { Deadlines } from './deadlines.js';
import type { FaultPolicy } from './pending-call.js';
import type { PreparedRule } from './prepared-rule.js';
import { RateLimitUnavailableError } from './errors.js';
import { keySlot } from './key-slot.js';
import type { ConsumeReply, LockoutReply, RateLimitStore, WindowReply, WindowSpec } from './store.js';
import { SCRIPTS } from './limiter-scripts.js';
import type { Shield } from './shield.js';

/** Used when a store method is called without a deadline (directly, not through a limiter). */
const DEFAULT_TIMEOUT_MS = 500;

/** What `RateLimiter#consume` needs of a store: its adapter and deadline queue (not its API). */
export interface RedisStoreInternals {
  readonly client: RedisScriptClient;
  readonly deadlines: Deadlines;
}
const internals = new WeakMap<RedisStore, RedisStoreInternals>();

/** The adapter and deadline queue of `store`, looked up once per limiter. */
export function redisStoreInternals(store: RedisStore): RedisStoreInternals {
  return internals.get(store)!;
}

/**
 * The Redis backend: every operation is one versioned Lua script sent as `EVALSHA`, on any
 * supported client (ioredis/iovalkey `Redis` or `Cluster`, node-redis client or cluster, or a
 * `RedisScriptClient`). Each call keeps its deadline: a connection that is not open yet is
 * waited for until then, a lost script cache is reloaded, a call that may have run is never
 * sent again, and nothing is written at or after the deadline (see README "Clients").
 *
 * @example
 * ```ts
 * const store = new RedisStore(new Redis(url, { ...rateLimitRedisOptions }));
 * const limiter = new RateLimiter({ store, failureMode: 'throw' });
 * ```
 */
export class RedisStore implements RateLimitStore {
  /** Every call settles by its deadline on its own (the limiter adds no timer). */
  readonly settlesByDeadline = true;
  readonly #client: RedisScriptClient;
  readonly #deadlines = new Deadlines();

  /**
   * @param client - A supported client; for ioredis created with `rateLimitRedisOptions` /
   *   `rateLimitClusterOptions` (or equivalent settings).
   * @throws {@link RateLimitConfigError} For an unsupported client, or one that could replay a
   *   command (the message names the client and the setting).
   */
  constructor(client: RedisClient) {
    this.#client = redisScriptClient(client);
    internals.set(this, { client: this.#client, deadlines: this.#deadlines });
  }

  isReady(): boolean {
    return this.#client.isReady();
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    const client = this.#client;
    if (client.isReady()) return;
    await client.whenReady(performance.now() + timeoutMs);
    if (!client.isReady()) {
      throw new RateLimitUnavailableError(`Redis is unavailable: the ${client.clientName} is not connected`);
    }
  }

  canConsumeTogether(keys: readonly string[]): boolean {
    if (!this.#client.isCluster || keys.length < 2) return true;
    // The slot of each key as the server sees it, with the client's own prefix.
    const prefix = this.#client.keyPrefix ?? '';
    const slot = keySlot(prefix + keys[0]!);
    for (let i = 1; i < keys.length; i++) if (keySlot(prefix + keys[i]!) !== slot) return false;
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
    const args = countDenied ? [String(limit), String(windowMs), '1'] : [String(limit), String(windowMs)];
    return this.#run(SCRIPTS.consumeWindow, [key], args, deadline) as Promise<ConsumeReply>;
  }

  consumeWindows(
    keys: readonly string[],
    specs: readonly WindowSpec[],
    deadline?: number,
  ): Promise<readonly number[]> {
    const args: string[] = [];
    for (const spec of specs)
      args.push(String(spec.limit), String(spec.windowMs), spec.countDenied ? '1' : '0');
    return this.#run(SCRIPTS.consumeWindows, keys, args, deadline) as Promise<readonly number[]>;
  }

  peekWindow(key: string, deadline?: number): Promise<WindowReply> {
    return this.#run(SCRIPTS.peekWindow, [key], [], deadline) as Promise<WindowReply>;
  }

  refundWindow(key: string, amount: number, windowMs: number, deadline?: number): Promise<WindowReply> {
    return this.#run(
      SCRIPTS.refundWindow,
      [key],
      [String(amount), String(windowMs)],
      deadline,
    ) as Promise<WindowReply>;
  }

  async resetWindow(key: string, deadline?: number): Promise<void> {
    await this.#run(SCRIPTS.deleteKey, [key], [], deadline);
  }

  recordFailure(
    key: string,
    maxFailures: number,
    windowMs: number,
    lockMs: number,
    deadline?: number,
  ): Promise<LockoutReply> {
    const args = [String(maxFailures), String(windowMs), String(lockMs)];
    return this.#run(SCRIPTS.recordFailure, [key], args, deadline) as Promise<LockoutReply>;
  }

  checkLockout(key: string, deadline?: number): Promise<LockoutReply> {
    return this.#run(SCRIPTS.checkLockout, [key], [], deadline) as Promise<LockoutReply>;
  }

  async clearLockout(key: string, deadline?: number): Promise<void> {
    await this.#run(SCRIPTS.deleteKey, [key], [], deadline);
  }

  #run(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    deadline = performance.now() + DEFAULT_TIMEOUT_MS,
  ): Promise<unknown> {
    return startScript(this.#client, script, keys, args, deadline, this.#deadlines);
  }
}

/**
 * How a `consume` call's reply becomes its answer: the rule's decision (with a shield, which
 * also learns from it whether the key is now exhausted), or on a fault the failure mode's. Made
 * when the call is sent, before Redis runs it: the shield counts the window's end from then.
 */
export function consumeOutcome(
  key: string,
  rule: PreparedRule,
  policy: FaultPolicy,
  shield: Shield | undefined,
): RunOutcome<RateLimitDecision> {
  if (shield === undefined) {
    return { map: rule.decide as (reply: unknown) => RateLimitDecision, policy, fallback: rule.fallback };
  }
  const sentAt = performance.now();
  const map = (reply: unknown): RateLimitDecision => {
    const decision = rule.decide(reply as ConsumeReply);
    shield.learn(key, rule.limit, sentAt, decision);
    return decision;
  };
  return { map, policy, fallback: rule.fallback };
}

/**
 * `RateLimiter#consume` on a Redis store whose client it just saw ready: the same script call as
 * `consumeWindow`, with the rule's arguments prepared once as strings and the reply mapped (or the
 * fault turned into the failure mode's answer) by the run itself, so a call costs one promise.
 */
export function consumeOn(
  store: RedisStoreInternals,
  key: string,
  rule: PreparedRule,
  deadline: number,
  policy: FaultPolicy,
  shield: Shield | undefined,
): Promise<RateLimitDecision> {
  return startScript(
    store.client,
    SCRIPTS.consumeWindow,
    [key],
    rule.argv,
    deadline,
    store.deadlines,
    consumeOutcome(key, rule, policy, shield),
    true,
  );
}
