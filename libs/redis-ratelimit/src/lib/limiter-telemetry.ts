// What a RateLimiter reports: one counter of decisions by rule and outcome, one histogram of store
// latency, spans around store calls when a trace is active, and the plain `onDecision` hook.
import {
  errorType,
  Telemetry,
  type CounterLike,
  type TelemetryAttributes,
  type TelemetryOptions,
} from '@tses/core';
import type { RateLimitAllDecision, RateLimitDecision, RateLimitItem } from '../types.js';
import { RateLimitConfigError } from './errors.js';
import { assertHook, notify, StoreTelemetry, UNNAMED } from './store-telemetry.js';
import { VERSION } from './version.js';

/**
 * How a limiter call ended: `allowed` / `denied` by the store (or the local shield),
 * `failure_allow` / `failure_deny` when the store failed and the failure mode answered, `error`
 * when the call rejected (failure mode `throw`).
 *
 * @example
 * ```ts
 * const outcome: RateLimitOutcome = 'failure_deny';
 * ```
 */
export type RateLimitOutcome = 'allowed' | 'denied' | 'failure_allow' | 'failure_deny' | 'error';

/**
 * One decision, as `onDecision` receives it: the rule's name and the outcome, never the key.
 *
 * @example
 * ```ts
 * const onDecision = (e: RateLimitDecisionEvent) => { if (e.outcome === 'denied') denials.inc({ rule: e.rule }); };
 * ```
 */
export interface RateLimitDecisionEvent {
  /** The rule's `name`, or `unnamed`. */
  readonly rule: string;
  readonly outcome: RateLimitOutcome;
  /** `consume` or `consumeAll`. */
  readonly operation: 'consume' | 'consumeAll';
  /** The class name of the fault, when the outcome is a failure or `error`. */
  readonly errorType?: string;
}

/** Options of a limiter that concern reporting. */
export interface LimiterTelemetryOptions {
  /**
   * OpenTelemetry providers, or `false` for none. Default: the global ones of
   * `@opentelemetry/api` when it is installed (README, "Metrics and traces").
   */
  readonly telemetry?: TelemetryOptions | false;
  /** Told about every decision of `consume` and `consumeAll` (a hook that throws is ignored). */
  readonly onDecision?: (event: RateLimitDecisionEvent) => void;
}

const MAX_REMEMBERED_RULES = 1_000;
const OUTCOMES: readonly RateLimitOutcome[] = ['allowed', 'denied', 'failure_allow', 'failure_deny', 'error'];

/** The reporting of one limiter; absent (`undefined`) when there is nothing to report to. */
export class LimiterTelemetry {
  /** Timing, spans and failure-mode answers (the store caller marks them). */
  readonly store: StoreTelemetry<'consume' | 'consumeAll'>;
  readonly #decisions: CounterLike | undefined;
  readonly #onDecision: ((event: RateLimitDecisionEvent) => void) | undefined;
  // Attribute objects made once per rule and outcome: a measurement allocates nothing.
  readonly #attributes = new Map<string, readonly TelemetryAttributes[]>();

  private constructor(
    telemetry: Telemetry | undefined,
    onDecision: ((event: RateLimitDecisionEvent) => void) | undefined,
    system: string | undefined,
  ) {
    this.#onDecision = onDecision;
    this.#decisions = telemetry?.meter.createCounter('tses.ratelimit.decisions', {
      description: 'Rate limit decisions by rule and outcome.',
      unit: '{decision}',
    });
    this.store = new StoreTelemetry(telemetry, system, 'ratelimit', ['consume', 'consumeAll']);
  }

  /**
   * The reporting for a limiter's options, or `undefined` when it reports nowhere.
   *
   * @param system - `redis` for a Redis store (OpenTelemetry's `db.system.name`), else undefined.
   */
  static create(options: LimiterTelemetryOptions, system: string | undefined): LimiterTelemetry | undefined {
    assertHook('onDecision', options.onDecision);
    const telemetry = Telemetry.create('@tses/redis-ratelimit', VERSION, options.telemetry);
    if (telemetry === undefined && options.onDecision === undefined) return undefined;
    return new LimiterTelemetry(telemetry, options.onDecision, system);
  }

  /** A decision the local shield gave without a store call. */
  shielded(rule: string | undefined, decision: RateLimitDecision): void {
    this.#count('consume', rule ?? UNNAMED, decision.allowed ? 0 : 1, undefined);
  }

  /** Runs a `consume` store call, counting its decision and timing it. */
  consume(rule: string | undefined, run: () => Promise<RateLimitDecision>): Promise<RateLimitDecision> {
    const name = rule ?? UNNAMED;
    const start = performance.now();
    return this.store.traced('consume', run).then(
      (decision) => {
        this.store.timed('consume', start, this.#countDecision('consume', name, decision));
        return decision;
      },
      (error: unknown) => {
        const type = errorType(error);
        this.#count('consume', name, 4, type);
        this.store.timed('consume', start, type);
        throw error;
      },
    );
  }

  /** Runs a `consumeAll` store call: each item counts under its rule (a denial under the rules that denied). */
  consumeAll(
    items: readonly RateLimitItem[],
    run: () => Promise<RateLimitAllDecision>,
  ): Promise<RateLimitAllDecision> {
    const start = performance.now();
    return this.store.traced('consumeAll', run).then(
      (all) => {
        const fault = this.store.faultOf(all);
        let type: string | undefined;
        all.decisions.forEach((d, i) => {
          if (all.allowed || !d.allowed || fault !== undefined) {
            const outcome = fault === undefined ? (d.allowed ? 0 : 1) : d.allowed ? 2 : 3;
            type = this.#count('consumeAll', items[i]?.rule.name ?? UNNAMED, outcome, fault);
          }
        });
        this.store.timed('consumeAll', start, type);
        return all;
      },
      (error: unknown) => {
        // An invalid call rejects before any store call: a programming fault, not a decision.
        if (error instanceof RateLimitConfigError) throw error;
        const type = errorType(error);
        for (const item of items) this.#count('consumeAll', item.rule.name ?? UNNAMED, 4, type);
        this.store.timed('consumeAll', start, type);
        throw error;
      },
    );
  }

  /** Counts a decision; returns its fault's `error.type` when the failure mode made it. */
  #countDecision(operation: 'consume', rule: string, decision: RateLimitDecision): string | undefined {
    const fault = this.store.faultOf(decision);
    const outcome = fault === undefined ? (decision.allowed ? 0 : 1) : decision.allowed ? 2 : 3;
    return this.#count(operation, rule, outcome, fault);
  }

  #count(
    operation: 'consume' | 'consumeAll',
    rule: string,
    outcome: number,
    fault: string | undefined,
  ): string | undefined {
    if (this.#decisions !== undefined) {
      let byOutcome = this.#attributes.get(rule);
      if (byOutcome === undefined) {
        byOutcome = OUTCOMES.map((o) => ({ 'tses.ratelimit.rule': rule, 'tses.ratelimit.outcome': o }));
        // Rule names are meant to be constants; a name made per call is not remembered forever.
        if (this.#attributes.size < MAX_REMEMBERED_RULES) this.#attributes.set(rule, byOutcome);
      }
      this.#decisions.add(1, byOutcome[outcome]!);
    }
    if (this.#onDecision !== undefined) {
      notify<RateLimitDecisionEvent>(
        this.#onDecision,
        fault === undefined
          ? { rule, outcome: OUTCOMES[outcome]!, operation }
          : { rule, outcome: OUTCOMES[outcome]!, operation, errorType: fault },
      );
    }
    return fault;
  }
}
