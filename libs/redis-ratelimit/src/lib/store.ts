/**
 * What the limiter and the lockout need from a backend. `RedisStore` runs each method as one Lua
 * script; `MemoryStore` keeps the same semantics in process. Keys arrive fully prefixed.
 */

/** `[n, ttlMs]`: see `commands/consumeWindow-1.lua` for the sign convention of `n`. */
export type WindowReply = readonly [n: number, ttlMs: number];

/**
 * What `consumeWindow` answers: a `WindowReply`, or the same packed into one integer
 * `sign(n) * (|n| * 2^32 + ttlMs)` (cheaper to send and parse; see `commands/consumeWindow-1.lua`).
 */
export type ConsumeReply = number | WindowReply;

/** `[failures, locked (0|1), ttlMs]`: see `commands/recordFailure-1.lua`. */
export type LockoutReply = readonly [failures: number, locked: number, ttlMs: number];

/** One rule as the store sees it. */
export interface WindowSpec {
  readonly limit: number;
  readonly windowMs: number;
  readonly countDenied: boolean;
}

/**
 * A rate-limit backend. Implement it to put the limiter on another store; every method must be
 * atomic on its own, give every key it writes a finite lifetime, and never let a count go below 0.
 *
 * Each call method takes an optional last argument, `deadline`: the `performance.now()` time at
 * which the limiter answers its caller with a timeout. A store must not send the call at or after
 * it (so a call whose caller was told it failed never counts later); until then it may wait for a
 * connection. `RedisStore` does so; a store with nothing to wait for may ignore it.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' });
 * ```
 */
export interface RateLimitStore {
  /**
   * `true` when every call settles by its `deadline` on its own (`RedisStore`, `MemoryStore`);
   * the limiter then adds no timer of its own. Leave it out and the limiter times calls out.
   */
  readonly settlesByDeadline?: boolean;
  /** `true` when the store can take calls now (for Redis: the connection is ready). */
  isReady(): boolean;
  /** Resolves once ready; rejects with `RateLimitUnavailableError` after `timeoutMs`. */
  waitUntilReady(timeoutMs: number): Promise<void>;
  /** Whether `consumeWindows` can run atomically over these keys (one node, one slot). */
  canConsumeTogether(keys: readonly string[]): boolean;
  /** Counts one hit if the window has room (`n > 0`), else reports the denial (`n < 0`). */
  consumeWindow(
    key: string,
    limit: number,
    windowMs: number,
    countDenied: boolean,
    deadline?: number,
  ): Promise<ConsumeReply>;
  /** All-or-nothing over several windows; a flat `[n1, ttl1, n2, ttl2, …]`. */
  consumeWindows(
    keys: readonly string[],
    specs: readonly WindowSpec[],
    deadline?: number,
  ): Promise<readonly number[]>;
  /** Reads `[count, ttlMs]` without counting. */
  peekWindow(key: string, deadline?: number): Promise<WindowReply>;
  /** Gives back up to `amount` hits, never below zero; returns `[count, ttlMs]`. */
  refundWindow(key: string, amount: number, windowMs: number, deadline?: number): Promise<WindowReply>;
  /** Deletes one window. */
  resetWindow(key: string, deadline?: number): Promise<void>;
  /** Counts one failure and locks when it reaches `maxFailures`, atomically. */
  recordFailure(
    key: string,
    maxFailures: number,
    windowMs: number,
    lockMs: number,
    deadline?: number,
  ): Promise<LockoutReply>;
  /** Reads a lockout subject. */
  checkLockout(key: string, deadline?: number): Promise<LockoutReply>;
  /** Deletes a lockout subject (failures and lock). */
  clearLockout(key: string, deadline?: number): Promise<void>;
}
