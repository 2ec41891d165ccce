import type { RedisClient } from '../redis/script-client-for.js';
import type { FailureMode } from '../types.js';
import { Deadlines } from './deadlines.js';
import {
  RateLimitConfigError,
  RateLimitTimeoutError,
  toRateLimitError,
  type RateLimitError,
} from './errors.js';
import { PendingCall } from './pending-call.js';
import { RedisStore } from './redis-store.js';
import type { RateLimitStore } from './store.js';
import type { StoreTelemetry } from './store-telemetry.js';
import { assertTimeout } from './validate.js';

/** Options shared by `RateLimiter` and `Lockout`: where to keep state and what to do on faults. */
export interface StoreOptions {
  /**
   * A Redis client, as it is: an ioredis 5/6 or iovalkey `Redis` or `Cluster` (created with
   * `rateLimitRedisOptions` / `rateLimitClusterOptions`), a node-redis 5/6 client or cluster, or
   * any other client behind a `RedisScriptClient`. Give this or `store`.
   */
  readonly redis?: RedisClient;
  /** Any other backend, e.g. `new MemoryStore()`. Give this or `redis`. */
  readonly store?: RateLimitStore;
  /** Prepended to every key (default `"rl:"` for limits, `"lockout:"` for lockouts). */
  readonly keyPrefix?: string;
  /**
   * What a call does when the store fails (unreachable, timeout, error reply): `throw` rejects with
   * a `RateLimitError`; `allow` fails open; `deny` fails closed. Required: there is no safe default.
   */
  readonly failureMode: FailureMode;
  /** Per-call deadline in milliseconds, including waiting for a connection (default 500). */
  readonly timeoutMs?: number;
  /** Told about every fault, including those that `allow`/`deny` turn into a decision. */
  readonly onError?: (error: RateLimitError) => void;
}

const FAILURE_MODES: readonly string[] = ['throw', 'allow', 'deny'];

/** Resolves the options once and runs store calls under the deadline and the failure mode. */
export class StoreCaller {
  readonly store: RateLimitStore;
  readonly prefix: string;
  readonly failureMode: FailureMode;
  readonly timeoutMs: number;
  readonly onError: ((error: RateLimitError) => void) | undefined;
  /** Deadlines of this caller's calls (one timer for all of them). */
  readonly deadlines = new Deadlines();
  /** Told which answers the failure mode made, when the limiter or lockout reports. */
  telemetry: StoreTelemetry<string> | undefined;

  constructor(options: StoreOptions, defaultPrefix: string) {
    if (!options || (options.redis === undefined) === (options.store === undefined)) {
      throw new RateLimitConfigError('Give exactly one of `redis` (a Redis client) or `store`.');
    }
    if (!FAILURE_MODES.includes(options.failureMode)) {
      throw new RateLimitConfigError(
        `failureMode must be 'throw', 'allow' or 'deny', got ${String(options.failureMode)}`,
      );
    }
    this.timeoutMs = options.timeoutMs ?? 500;
    assertTimeout(this.timeoutMs);
    this.store = options.store ?? new RedisStore(options.redis!);
    this.prefix = options.keyPrefix ?? defaultPrefix;
    this.failureMode = options.failureMode;
    this.onError = options.onError;
  }

  /**
   * Runs `op` under the deadline and maps its result; faults go through the failure mode.
   * `op` is only started once the store is ready (never queued while disconnected), and gets the
   * deadline to pass to the store (which sends nothing at or after it).
   */
  run<T, R>(
    op: (deadline: number) => Promise<T>,
    map: (value: T) => R,
    fallback: (allow: boolean) => R,
  ): Promise<R> {
    const deadline = performance.now() + this.timeoutMs;
    if (this.store.isReady()) return this.settle(op(deadline), deadline, map, fallback);
    return this.store.waitUntilReady(this.timeoutMs).then(
      () => {
        if (performance.now() >= deadline) return this.fail(this.timeoutError(), fallback);
        return this.settle(op(deadline), deadline, map, fallback);
      },
      (error: unknown) => this.fail(error, fallback),
    );
  }

  /** Settles with `map(value)`, or the failure mode's answer on a fault or at `deadline`. */
  settle<T, R>(
    promise: Promise<T>,
    deadline: number,
    map: (value: T) => R,
    fallback: (allow: boolean) => R,
  ): Promise<R> {
    if (this.store.settlesByDeadline === true) {
      return promise.then(map, (error: unknown) => this.fail(error, fallback));
    }
    return new Promise<R>((resolve, reject) => {
      const pending = new PendingCall(this, deadline, map, fallback, resolve, reject);
      this.deadlines.add(pending);
      promise.then(
        (value) => pending.done(value),
        (error: unknown) => pending.failed(error),
      );
    });
  }

  /** Applies the failure mode: reports the fault, then rethrows or returns `fallback(allow)`. */
  fail<R>(error: unknown, fallback: (allow: boolean) => R): R {
    const typed = toRateLimitError(error);
    if (typed instanceof RateLimitConfigError) throw typed;
    try {
      this.onError?.(typed);
    } catch {
      // A failing error hook must not turn a decision into a crash.
    }
    if (this.failureMode === 'throw') throw typed;
    const decision = fallback(this.failureMode === 'allow');
    if (this.telemetry !== undefined && typeof decision === 'object' && decision !== null) {
      this.telemetry.markFailure(decision, typed);
    }
    return decision;
  }

  timeoutError(): RateLimitTimeoutError {
    return new RateLimitTimeoutError(`Redis did not answer within ${this.timeoutMs} ms`);
  }
}
