// What a PostgreSQL audit store reports: writes by result (inserted, duplicate, error) and event
// name, the duration of every database operation (OpenTelemetry's `db.client.operation.duration`),
// spans inside an active trace, and the plain `onOutcome` hook. Never an email, IP or filter value.
import { AuditConfigError } from './errors.js';
import {
  errorType,
  secondsSince,
  STORE_DURATION_BUCKETS,
  Telemetry,
  type CounterLike,
  type HistogramLike,
  type TelemetryAttributes,
  type TelemetryOptions,
} from '@tses/core';

/** This package's version, the instrumentation scope's version. */
const VERSION = '0.2.0';

/**
 * How an audit store call ended: `inserted` / `duplicate` for a write, `ok` for a query, `error`
 * when it threw (bad input included: see `errorType`).
 *
 * @example
 * ```ts
 * const outcome: AuditOutcome = 'duplicate';
 * ```
 */
export type AuditOutcome = 'inserted' | 'duplicate' | 'ok' | 'error';

/**
 * One store call, as `onOutcome` receives it.
 *
 * @example
 * ```ts
 * const onOutcome = (e: AuditOutcomeEvent) => { if (e.outcome === 'error') alarms.inc(); };
 * ```
 */
export interface AuditOutcomeEvent {
  readonly operation: 'write' | 'queryPage' | 'queryCursor';
  readonly outcome: AuditOutcome;
  /** Wall time of the call, in milliseconds. */
  readonly durationMs: number;
  /** For `error`: the class name of what was thrown. */
  readonly errorType?: string;
}

/** Options of an audit store that concern reporting. */
export interface AuditTelemetryOptions {
  /**
   * OpenTelemetry providers, or `false` for none. Default: the global ones of
   * `@opentelemetry/api` when it is installed (README, "Metrics and traces").
   */
  readonly telemetry?: TelemetryOptions | false | undefined;
  /** Told how every store call ended (a hook that throws is ignored). */
  readonly onOutcome?: ((event: AuditOutcomeEvent) => void) | undefined;
}

type Operation = AuditOutcomeEvent['operation'];

const SPAN_ATTRIBUTES: Record<Operation, TelemetryAttributes> = {
  write: { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'audit_log' },
  queryPage: {
    'db.system.name': 'postgresql',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'audit_log',
  },
  queryCursor: {
    'db.system.name': 'postgresql',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'audit_log',
  },
};

/** The reporting of one audit store; absent (`undefined`) when there is nothing to report to. */
export class AuditTelemetry {
  readonly #telemetry: Telemetry | undefined;
  readonly #writes: CounterLike | undefined;
  readonly #duration: HistogramLike | undefined;
  readonly #onOutcome: ((event: AuditOutcomeEvent) => void) | undefined;

  private constructor(
    telemetry: Telemetry | undefined,
    onOutcome: ((event: AuditOutcomeEvent) => void) | undefined,
  ) {
    this.#telemetry = telemetry;
    this.#onOutcome = onOutcome;
    this.#writes = telemetry?.meter.createCounter('tses.audit.writes', {
      description: 'Audit event writes by result and event name.',
      unit: '{write}',
    });
    this.#duration = telemetry?.meter.createHistogram('db.client.operation.duration', {
      description: 'Duration of audit log database operations.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...STORE_DURATION_BUCKETS] },
    });
  }

  /** The reporting for a store's options, or `undefined` when it reports nowhere. */
  static create(options: AuditTelemetryOptions): AuditTelemetry | undefined {
    if (options.onOutcome !== undefined && typeof options.onOutcome !== 'function') {
      throw new AuditConfigError('onOutcome must be a function.');
    }
    const telemetry = Telemetry.create('@tses/audit', VERSION, options.telemetry);
    if (telemetry === undefined && options.onOutcome === undefined) return undefined;
    return new AuditTelemetry(telemetry, options.onOutcome);
  }

  /** Runs a write, counting its result under the event's name (an `AUDIT_EVENTS` name, or `invalid`). */
  write(event: unknown, run: () => Promise<{ readonly inserted: boolean }>): Promise<{ inserted: boolean }> {
    return this.#observe('write', run, (result, type) => {
      if (this.#writes === undefined) return;
      const name = typeof event === 'string' && /^[A-Z_]{1,64}$/.test(event) ? event : 'invalid';
      const outcome = type !== undefined ? 'error' : result?.inserted ? 'inserted' : 'duplicate';
      this.#writes.add(1, {
        'tses.audit.event': name,
        'tses.audit.result': outcome,
        ...(type === undefined ? {} : { 'error.type': type }),
      });
    }) as Promise<{ inserted: boolean }>;
  }

  /** Runs a query, timing it. */
  query<T>(operation: 'queryPage' | 'queryCursor', run: () => Promise<T>): Promise<T> {
    return this.#observe(operation, run, () => undefined);
  }

  #observe<T>(
    operation: Operation,
    run: () => Promise<T>,
    count: (result: T | undefined, errorType: string | undefined) => void,
  ): Promise<T> {
    const start = performance.now();
    const attributes = SPAN_ATTRIBUTES[operation];
    const promise =
      this.#telemetry === undefined ? run() : this.#telemetry.traced(`audit ${operation}`, attributes, run);
    return promise.then(
      (result) => {
        count(result, undefined);
        const inserted = (result as { inserted?: boolean }).inserted;
        this.#done(operation, inserted === undefined ? 'ok' : inserted ? 'inserted' : 'duplicate', start);
        return result;
      },
      (error: unknown) => {
        const type = errorType(error);
        count(undefined, type);
        this.#done(operation, 'error', start, type);
        throw error;
      },
    );
  }

  #done(operation: Operation, outcome: AuditOutcome, start: number, fault?: string): void {
    const seconds = secondsSince(start);
    const base = { ...SPAN_ATTRIBUTES[operation], 'tses.audit.operation': operation };
    this.#duration?.record(seconds, fault === undefined ? base : { ...base, 'error.type': fault });
    const hook = this.#onOutcome;
    if (hook === undefined) return;
    const durationMs = seconds * 1000;
    try {
      hook(
        fault === undefined
          ? { operation, outcome, durationMs }
          : { operation, outcome, durationMs, errorType: fault },
      );
    } catch {
      // A failing hook must not turn a write into a crash.
    }
  }
}
