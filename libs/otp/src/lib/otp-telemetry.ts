// What an Otp reports: how requests and verifications ended (counters by outcome, the refusing
// scope for a rate limit), spans around store calls inside an active trace, and the plain
// `onOutcome` hook. Never the email, IP or code: outcomes and scopes only.
import {
  errorType,
  Telemetry,
  type CounterLike,
  type TelemetryAttributes,
  type TelemetryOptions,
} from '@tses/core';
import type { OtpRateLimitScope, OtpRedeemResult, OtpRequestResult, OtpVerifyResult } from '../results.js';
import { VERSION } from './version.js';

/**
 * How an {@link Otp} call ended: a result's `status`, or `error` when it threw.
 *
 * @example
 * ```ts
 * const outcome: OtpOutcome = 'rate_limited';
 * ```
 */
export type OtpOutcome =
  OtpRequestResult['status'] | OtpVerifyResult['status'] | OtpRedeemResult<unknown>['status'] | 'error';

/**
 * One outcome, as `onOutcome` receives it.
 *
 * @example
 * ```ts
 * const onOutcome = (e: OtpOutcomeEvent) => { if (e.outcome === 'locked') lockouts.inc(); };
 * ```
 */
export interface OtpOutcomeEvent {
  readonly operation: 'request' | 'verify' | 'redeem';
  readonly outcome: OtpOutcome;
  /** For `rate_limited`: the limit that refused. */
  readonly scope?: OtpRateLimitScope;
  /** For `error`: the class name of what was thrown. */
  readonly errorType?: string;
}

/** Options of an Otp that concern reporting. */
export interface OtpTelemetryOptions {
  /**
   * OpenTelemetry providers, or `false` for none. Default: the global ones of
   * `@opentelemetry/api` when it is installed (README, "Metrics and traces").
   */
  readonly telemetry?: TelemetryOptions | false;
  /** Told how every `request`, `verify` and `redeem` ended (a hook that throws is ignored). */
  readonly onOutcome?: (event: OtpOutcomeEvent) => void;
}

/** The reporting of one Otp; absent (`undefined`) when there is nothing to report to. */
export class OtpTelemetry {
  readonly #telemetry: Telemetry | undefined;
  readonly #requests: CounterLike | undefined;
  readonly #verifications: CounterLike | undefined;
  readonly #onOutcome: ((event: OtpOutcomeEvent) => void) | undefined;

  private constructor(
    telemetry: Telemetry | undefined,
    onOutcome: ((event: OtpOutcomeEvent) => void) | undefined,
  ) {
    this.#telemetry = telemetry;
    this.#onOutcome = onOutcome;
    this.#requests = telemetry?.meter.createCounter('tses.otp.requests', {
      description: 'Code requests by outcome (and, when rate limited, the refusing scope).',
      unit: '{request}',
    });
    this.#verifications = telemetry?.meter.createCounter('tses.otp.verifications', {
      description: 'Code verifications (verify and redeem) by outcome.',
      unit: '{verification}',
    });
  }

  /** The reporting for an Otp's options, or `undefined` when it reports nowhere. */
  static create(options: OtpTelemetryOptions): OtpTelemetry | undefined {
    const telemetry = Telemetry.create('@tses/otp', VERSION, options.telemetry);
    if (telemetry === undefined && options.onOutcome === undefined) return undefined;
    return new OtpTelemetry(telemetry, options.onOutcome);
  }

  /** Runs store call `operation` (`saveCode`, `verifyCode`) inside a span when a trace is active. */
  traced<T>(operation: 'saveCode' | 'verifyCode', run: () => Promise<T>): Promise<T> {
    if (this.#telemetry === undefined) return run();
    return this.#telemetry.traced(`otp ${operation}`, STORE_SPANS[operation], run);
  }

  /** Reports how `operation` ended once `promise` settles; returns `promise`'s outcome as is. */
  observe<R extends { readonly status: string }>(
    operation: OtpOutcomeEvent['operation'],
    promise: Promise<R>,
  ): Promise<R> {
    return promise.then(
      (result) => {
        const scope = 'scope' in result ? (result.scope as OtpRateLimitScope) : undefined;
        this.#report(operation, result.status as OtpOutcome, scope, undefined);
        return result;
      },
      (error: unknown) => {
        this.#report(operation, 'error', undefined, errorType(error));
        throw error;
      },
    );
  }

  #report(
    operation: OtpOutcomeEvent['operation'],
    outcome: OtpOutcome,
    scope: OtpRateLimitScope | undefined,
    fault: string | undefined,
  ): void {
    const counter = operation === 'request' ? this.#requests : this.#verifications;
    if (counter !== undefined) counter.add(1, attributesOf(operation, outcome, scope, fault));
    const hook = this.#onOutcome;
    if (hook === undefined) return;
    const event: OtpOutcomeEvent =
      scope !== undefined
        ? { operation, outcome, scope }
        : fault !== undefined
          ? { operation, outcome, errorType: fault }
          : { operation, outcome };
    try {
      hook(event);
    } catch {
      // A failing hook must not turn an answer into a crash.
    }
  }
}

const STORE_SPANS: Record<'saveCode' | 'verifyCode', TelemetryAttributes> = {
  saveCode: { 'db.operation.name': 'saveCode' },
  verifyCode: { 'db.operation.name': 'verifyCode' },
};

// A handful of operation × outcome × scope combinations: made once each, then reused.
const attributeCache = new Map<string, TelemetryAttributes>();

function attributesOf(
  operation: string,
  outcome: string,
  scope: string | undefined,
  fault: string | undefined,
): TelemetryAttributes {
  const id = `${operation}|${outcome}|${scope ?? ''}|${fault ?? ''}`;
  let attributes = attributeCache.get(id);
  if (attributes === undefined) {
    attributes = {
      'tses.otp.operation': operation,
      'tses.otp.outcome': outcome,
      ...(scope === undefined ? {} : { 'tses.otp.scope': scope }),
      ...(fault === undefined ? {} : { 'error.type': fault }),
    };
    if (attributeCache.size < 256) attributeCache.set(id, attributes);
  }
  return attributes;
}
