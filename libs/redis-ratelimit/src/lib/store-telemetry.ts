// What a limiter and a lockout report alike: the store-duration histogram, client spans inside a
// recorded trace, the faults behind failure-mode answers, and a hook that may not throw.
import {
  errorType,
  secondsSince,
  STORE_DURATION_BUCKETS,
  type HistogramLike,
  type Telemetry,
  type TelemetryAttributes,
} from '@tses/core';
import { RateLimitConfigError } from './errors.js';

/** The name that stands for a rule or lockout given none. */
export const UNNAMED = 'unnamed';

/**
 * Throws unless `hook` is absent or a function.
 *
 * @param name - The option's name, for the message.
 * @param hook - The option's value.
 * @throws {@link RateLimitConfigError} When `hook` is something else.
 */
export function assertHook(name: string, hook: unknown): void {
  if (hook !== undefined && typeof hook !== 'function') {
    throw new RateLimitConfigError(`${name} must be a function`);
  }
}

/**
 * Calls a reporting hook; a hook that throws is ignored.
 *
 * @param hook - The app's hook, if any.
 * @param event - What happened.
 */
export function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch {
    // A failing hook must not turn a decision into a crash.
  }
}

/** The store side of a caller's reporting: timing, spans, and failure-mode answers by operation. */
export class StoreTelemetry<Operation extends string> {
  /** The library's meter and tracer, when it reports through OpenTelemetry. */
  readonly telemetry: Telemetry | undefined;
  readonly #duration: HistogramLike | undefined;
  readonly #attributes: Readonly<Record<Operation, TelemetryAttributes>>;
  readonly #spanNames: Readonly<Record<Operation, string>>;
  // The fault behind each answer the failure mode made, for its `error.type`.
  readonly #faults = new WeakMap<object, string>();

  /**
   * @param telemetry - The library's telemetry, if any.
   * @param system - `redis` for a Redis store (OpenTelemetry's `db.system.name`), else undefined.
   * @param spanPrefix - The span name's first word, e.g. `ratelimit` (`ratelimit consume`).
   * @param operations - The store operations timed (`db.operation.name`).
   */
  constructor(
    telemetry: Telemetry | undefined,
    system: string | undefined,
    spanPrefix: string,
    operations: readonly Operation[],
  ) {
    this.telemetry = telemetry;
    // The same name, unit and buckets for limiter and lockout: one instrument in the SDK.
    this.#duration = telemetry?.meter.createHistogram('tses.ratelimit.store.duration', {
      description: 'Duration of rate limit store calls.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...STORE_DURATION_BUCKETS] },
    });
    const base = system === undefined ? {} : { 'db.system.name': system };
    const attributes = {} as Record<Operation, TelemetryAttributes>;
    const spanNames = {} as Record<Operation, string>;
    for (const operation of operations) {
      attributes[operation] = { ...base, 'db.operation.name': operation };
      spanNames[operation] = `${spanPrefix} ${operation}`;
    }
    this.#attributes = attributes;
    this.#spanNames = spanNames;
  }

  /** Remembers the fault behind an answer of the failure mode (the store caller marks it). */
  markFailure(answer: object, error: unknown): void {
    this.#faults.set(answer, errorType(error));
  }

  /** The `error.type` of the fault behind `answer` when the failure mode made it, else undefined. */
  faultOf(answer: object): string | undefined {
    return this.#faults.get(answer);
  }

  /** Runs a store call, inside a client span when a recorded trace is active. */
  traced<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    if (this.telemetry === undefined) return run();
    return this.telemetry.traced(this.#spanNames[operation], this.#attributes[operation], run);
  }

  /** Records the duration of a store call started at `start` (a `performance.now()` reading). */
  timed(operation: Operation, start: number, fault: string | undefined): void {
    if (this.#duration === undefined) return;
    const base = this.#attributes[operation];
    this.#duration.record(secondsSince(start), fault === undefined ? base : { ...base, 'error.type': fault });
  }
}
