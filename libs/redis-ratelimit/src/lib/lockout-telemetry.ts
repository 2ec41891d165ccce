// What a Lockout reports: one counter of events by lockout name and outcome, the store-duration
// histogram and spans shared with the limiter, and the plain `onLockoutEvent` hook.
import {
  errorType,
  Telemetry,
  type CounterLike,
  type TelemetryAttributes,
  type TelemetryOptions,
} from '@tses/core';
import type { LockoutState } from '../types.js';
import { RateLimitConfigError } from './errors.js';
import { assertHook, notify, StoreTelemetry, UNNAMED } from './store-telemetry.js';
import { VERSION } from './version.js';

/**
 * How a lockout call ended: `fail` → `failure_counted` (still open) or `locked` (locked after this
 * failure: it reached `maxFailures`, or the subject already was); `check` → `check_open` or
 * `check_locked`; `clear` → `cleared`; any call → `error` when the store failed (the failure
 * mode answered, or the call rejected).
 *
 * @example
 * ```ts
 * const outcome: LockoutOutcome = 'locked';
 * ```
 */
export type LockoutOutcome =
  'failure_counted' | 'locked' | 'check_open' | 'check_locked' | 'cleared' | 'error';

/** A lockout's store operation: its method's name. */
export type LockoutOperation = 'fail' | 'check' | 'clear';

/**
 * One lockout call, as `onLockoutEvent` receives it: the lockout's name and the outcome, never the subject.
 *
 * @example
 * ```ts
 * const onLockoutEvent = (e: LockoutEvent) => { if (e.outcome === 'locked') locks.inc({ lockout: e.name }); };
 * ```
 */
export interface LockoutEvent {
  /** The lockout's `name`, or `unnamed`. */
  readonly name: string;
  readonly outcome: LockoutOutcome;
  readonly operation: LockoutOperation;
  /** The class name of the fault, when the outcome is `error`. */
  readonly errorType?: string;
}

/** Options of a lockout that concern reporting. */
export interface LockoutTelemetryOptions {
  /**
   * Names the lockout in metrics and events (`tses.ratelimit.lockout.name`), e.g. `password`.
   * A constant, never the subject. Default `unnamed`.
   */
  readonly name?: string;
  /**
   * OpenTelemetry providers, or `false` for none. Default: the global ones of
   * `@opentelemetry/api` when it is installed (README, "Metrics and traces").
   */
  readonly telemetry?: TelemetryOptions | false;
  /** Told about every `fail`, `check` and `clear` (a hook that throws is ignored). */
  readonly onLockoutEvent?: (event: LockoutEvent) => void;
}

const OUTCOMES: readonly LockoutOutcome[] = [
  'failure_counted',
  'locked',
  'check_open',
  'check_locked',
  'cleared',
  'error',
];
const ERROR = 5;

/** The reporting of one lockout; absent (`undefined`) when there is nothing to report to. */
export class LockoutTelemetry {
  /** Timing, spans and failure-mode answers (the store caller marks them). */
  readonly store: StoreTelemetry<LockoutOperation>;
  readonly #name: string;
  readonly #events: CounterLike | undefined;
  readonly #onEvent: ((event: LockoutEvent) => void) | undefined;
  // Made once: a measurement allocates nothing.
  readonly #attributes: readonly TelemetryAttributes[];

  private constructor(
    telemetry: Telemetry | undefined,
    options: LockoutTelemetryOptions,
    system: string | undefined,
  ) {
    this.#name = options.name ?? UNNAMED;
    this.#onEvent = options.onLockoutEvent;
    this.#events = telemetry?.meter.createCounter('tses.ratelimit.lockout.events', {
      description: 'Lockout calls by lockout name and outcome.',
      unit: '{event}',
    });
    this.#attributes = OUTCOMES.map((o) => ({
      'tses.ratelimit.lockout.name': this.#name,
      'tses.ratelimit.outcome': o,
    }));
    this.store = new StoreTelemetry(telemetry, system, 'lockout', ['fail', 'check', 'clear']);
  }

  /**
   * The reporting for a lockout's options, or `undefined` when it reports nowhere.
   *
   * @param system - `redis` for a Redis store (OpenTelemetry's `db.system.name`), else undefined.
   * @throws {@link RateLimitConfigError} For a `name` that is not a non-empty string, or a hook that is not a function.
   */
  static create(options: LockoutTelemetryOptions, system: string | undefined): LockoutTelemetry | undefined {
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new RateLimitConfigError('name must be a non-empty string');
    }
    assertHook('onLockoutEvent', options.onLockoutEvent);
    const telemetry = Telemetry.create('@tses/redis-ratelimit', VERSION, options.telemetry);
    if (telemetry === undefined && options.onLockoutEvent === undefined) return undefined;
    return new LockoutTelemetry(telemetry, options, system);
  }

  /** Runs a `fail` or `check` store call, counting its outcome and timing it. */
  state(operation: 'fail' | 'check', run: () => Promise<LockoutState>): Promise<LockoutState> {
    const open = operation === 'fail' ? 0 : 2;
    return this.#observe(operation, run, (state) => (state.locked ? open + 1 : open));
  }

  /**
   * Runs a `clear` store call whose answer is an object (a fresh one from the failure mode, so
   * it can be told apart), counting and timing it.
   */
  clear(run: () => Promise<object>): Promise<void> {
    return this.#observe('clear', run, () => 4).then(() => undefined);
  }

  #observe<T extends object>(
    operation: LockoutOperation,
    run: () => Promise<T>,
    outcome: (value: T) => number,
  ): Promise<T> {
    const start = performance.now();
    return this.store.traced(operation, run).then(
      (value) => {
        const fault = this.store.faultOf(value);
        this.#count(operation, fault === undefined ? outcome(value) : ERROR, fault);
        this.store.timed(operation, start, fault);
        return value;
      },
      (error: unknown) => {
        const type = errorType(error);
        this.#count(operation, ERROR, type);
        this.store.timed(operation, start, type);
        throw error;
      },
    );
  }

  #count(operation: LockoutOperation, outcome: number, fault: string | undefined): void {
    this.#events?.add(1, this.#attributes[outcome]!);
    if (this.#onEvent !== undefined) {
      const name = this.#name;
      notify<LockoutEvent>(
        this.#onEvent,
        fault === undefined
          ? { name, outcome: OUTCOMES[outcome]!, operation }
          : { name, outcome: OUTCOMES[outcome]!, operation, errorType: fault },
      );
    }
  }
}
