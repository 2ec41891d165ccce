import type { LockoutPolicy, LockoutState } from '../types.js';
import { RateLimitConfigError } from './errors.js';
import { LockoutTelemetry, type LockoutTelemetryOptions } from './lockout-telemetry.js';
import { RedisStore } from './redis-store.js';
import { StoreCaller, type StoreOptions } from './store-caller.js';
import type { LockoutReply } from './store.js';
import { assertPolicy, keyProblem } from './validate.js';

/**
 * Options of a {@link Lockout}: see {@link StoreOptions} (`keyPrefix` defaults to `"lockout:"`)
 * and {@link LockoutTelemetryOptions} (`name`, `telemetry`, `onLockoutEvent`).
 */
export interface LockoutOptions extends StoreOptions, LockoutTelemetryOptions {}

const CLEARED = Object.freeze({});

function toState(reply: LockoutReply, policy: LockoutPolicy): LockoutState {
  const [failures, locked, ttl] = reply;
  if (locked === 1) return { locked: true, failures, attemptsRemaining: 0, lockedForMs: ttl };
  return {
    locked: false,
    failures,
    attemptsRemaining: Math.max(0, policy.maxFailures - failures),
    lockedForMs: 0,
  };
}

function fallbackState(policy: LockoutPolicy, allow: boolean): LockoutState {
  if (allow) return { locked: false, failures: 0, attemptsRemaining: policy.maxFailures, lockedForMs: 0 };
  // As for rate limits: do not claim a long lock over what may be a short outage.
  const lockedForMs = Math.min(policy.lockMs ?? policy.windowMs, 60_000);
  return { locked: true, failures: policy.maxFailures, attemptsRemaining: 0, lockedForMs };
}

/**
 * "N failures in a window, then locked": `fail` counts a failure and, at `maxFailures`, locks in the
 * same atomic step; `check` reports the lock and its remaining time (Redis PTTL); `clear` forgets
 * the subject after a success. The failure window opens at the first failure; while locked,
 * further failures change nothing (the lock is not extended). It is for secrets the app compares
 * itself (passwords, TOTP); `@tses/otp` locks in its own verify script instead, because a code kept
 * in Redis must be compared and its failure counted in one atomic step.
 *
 * @example
 * ```ts
 * const lockout = new Lockout({ redis, failureMode: 'deny' });
 * const policy = { maxFailures: 5, windowMs: 15 * 60_000 };
 * if ((await lockout.check(`otp:${email}`, policy)).locked) return { ok: false, reason: 'locked' };
 * ```
 */
export class Lockout {
  readonly #caller: StoreCaller;
  /** Metrics, spans and `onLockoutEvent`, when the lockout reports anywhere. */
  readonly #telemetry: LockoutTelemetry | undefined;

  /**
   * @param options - Store (`redis` or `store`), `failureMode` (required), `keyPrefix`, `timeoutMs`,
   *   `onError`, `name`, `telemetry`, `onLockoutEvent`.
   * @throws {@link RateLimitConfigError} On invalid options or a client that could replay commands.
   */
  constructor(options: LockoutOptions) {
    this.#caller = new StoreCaller(options, 'lockout:');
    const system = this.#caller.store instanceof RedisStore ? 'redis' : undefined;
    this.#telemetry = LockoutTelemetry.create(options, system);
    this.#caller.telemetry = this.#telemetry?.store;
  }

  /**
   * Counts one failure for `subject`; the failure that reaches `policy.maxFailures` locks it for
   * `policy.lockMs` (default `policy.windowMs`).
   *
   * @param subject - Who failed, e.g. `otp:verify:a@example.com`.
   * @param policy - `maxFailures`, `windowMs`, optional `lockMs`.
   * @returns The state after this failure (`locked: true` when this one locked it).
   * @throws {@link RateLimitConfigError} For an invalid subject or policy.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * const state = await lockout.fail(`otp:${email}`, { maxFailures: 5, windowMs: 900_000 });
   * ```
   */
  fail(subject: string, policy: LockoutPolicy): Promise<LockoutState> {
    const c = this.#caller;
    return this.#run('fail', subject, policy, (deadline) =>
      c.store.recordFailure(
        c.prefix + subject,
        policy.maxFailures,
        policy.windowMs,
        policy.lockMs ?? policy.windowMs,
        deadline,
      ),
    );
  }

  /**
   * Reports whether `subject` is locked and for how long, counting nothing.
   *
   * @param subject - The subject passed to `fail`.
   * @param policy - The same policy (for `attemptsRemaining`).
   * @returns The current state.
   * @throws {@link RateLimitConfigError} For an invalid subject or policy.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * const { locked, lockedForMs } = await lockout.check(`otp:${email}`, policy);
   * ```
   */
  check(subject: string, policy: LockoutPolicy): Promise<LockoutState> {
    const c = this.#caller;
    return this.#run('check', subject, policy, (deadline) =>
      c.store.checkLockout(c.prefix + subject, deadline),
    );
  }

  /**
   * Forgets `subject`'s failures and lifts its lock (call it after a success).
   *
   * @param subject - The subject passed to `fail`.
   * @returns Resolves once cleared.
   * @throws {@link RateLimitConfigError} For an invalid subject.
   * @throws {@link RateLimitError} On a store fault when `failureMode` is `throw`.
   * @example
   * ```ts
   * await lockout.clear(`otp:${email}`);
   * ```
   */
  clear(subject: string): Promise<void> {
    const problem = keyProblem(subject);
    if (problem) return Promise.reject(new RateLimitConfigError(problem));
    const c = this.#caller;
    const op = (deadline: number) => c.store.clearLockout(c.prefix + subject, deadline);
    const telemetry = this.#telemetry;
    if (telemetry === undefined)
      return c.run(
        op,
        () => undefined,
        () => undefined,
      );
    // A fresh object from the failure mode, so the reporting can tell its answer from Redis's.
    return telemetry.clear(() =>
      c.run(
        op,
        () => CLEARED,
        () => ({}),
      ),
    );
  }

  #run(
    operation: 'fail' | 'check',
    subject: string,
    policy: LockoutPolicy,
    op: (deadline: number) => Promise<LockoutReply>,
  ): Promise<LockoutState> {
    const problem = keyProblem(subject);
    if (problem) return Promise.reject(new RateLimitConfigError(problem));
    try {
      assertPolicy(policy);
    } catch (error) {
      return Promise.reject(error);
    }
    const c = this.#caller;
    const run = () =>
      c.run(
        op,
        (reply) => toState(reply, policy),
        (allow) => fallbackState(policy, allow),
      );
    return this.#telemetry === undefined ? run() : this.#telemetry.state(operation, run);
  }
}
