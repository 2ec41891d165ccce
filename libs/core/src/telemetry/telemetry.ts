import { otelApi } from './otel-api.js';
import type {
  MeterLike,
  MeterProviderLike,
  OtelApiLike,
  TelemetryAttributes,
  TracerLike,
  TracerProviderLike,
} from './otel-like.js';

/**
 * Where a `@tses/*` library reports metrics and spans. Left out, the library uses the global
 * providers of `@opentelemetry/api` when the app has it installed and has registered an SDK
 * (register it before constructing the library: providers are looked up at construction), and
 * reports nothing otherwise, at no cost. `false` turns reporting off.
 *
 * @example
 * ```ts
 * const telemetry: TelemetryOptions = { meterProvider, tracerProvider };
 * ```
 */
export interface TelemetryOptions {
  /** Instead of the global `metrics.getMeterProvider()`. */
  readonly meterProvider?: MeterProviderLike;
  /** Instead of the global `trace.getTracerProvider()`. */
  readonly tracerProvider?: TracerProviderLike;
}

// OpenTelemetry's `SpanKind.CLIENT` and `SpanStatusCode.ERROR`, as numbers: the API may be absent.
const SPAN_KIND_CLIENT = 2;
const SPAN_STATUS_ERROR = 2;

/**
 * A library's meter and tracer, or nothing: {@link Telemetry.create} returns `undefined` when
 * there is nowhere to report, so an uninstrumented call costs one `undefined` check.
 *
 * @example
 * ```ts
 * const telemetry = Telemetry.create('@tses/otp', '0.2.0', options.telemetry);
 * const issued = telemetry?.meter.createCounter('tses.otp.requests', { unit: '{request}' });
 * ```
 */
export class Telemetry {
  /** The library's meter. */
  readonly meter: MeterLike;
  readonly #tracer: TracerLike;
  readonly #api: OtelApiLike | undefined;

  private constructor(meter: MeterLike, tracer: TracerLike, api: OtelApiLike | undefined) {
    this.meter = meter;
    this.#tracer = tracer;
    this.#api = api;
  }

  /**
   * The telemetry of library `name` at `version`, or `undefined` when it reports nowhere.
   *
   * @param name - The instrumentation scope (the package name).
   * @param version - The package version.
   * @param options - The library's `telemetry` option.
   * @returns The telemetry, or `undefined` (option `false`, or no provider and no API installed).
   * @example
   * ```ts
   * const telemetry = Telemetry.create('@tses/audit', '0.2.0', undefined);
   * ```
   */
  static create(
    name: string,
    version: string,
    options: TelemetryOptions | false | undefined,
  ): Telemetry | undefined {
    if (options === false) return undefined;
    const api = otelApi();
    const meterProvider = options?.meterProvider ?? liveMeterProvider(api, name);
    const tracerProvider = options?.tracerProvider ?? liveTracerProvider(api, name);
    if (meterProvider === undefined && tracerProvider === undefined) return undefined;
    const meter = (meterProvider ?? NOOP_METER_PROVIDER).getMeter(name, version);
    const tracer = (tracerProvider ?? NOOP_TRACER_PROVIDER).getTracer(name, version);
    return new Telemetry(meter, tracer, api);
  }

  /**
   * Runs `run` inside a client span named `name` when a recording span is active (a trace is
   * being sampled), else runs it as is: no trace, no span, no cost beyond the check.
   *
   * @param name - Span name, e.g. `ratelimit consume`.
   * @param attributes - Span attributes (names only, never personal data).
   * @param run - The store call.
   * @returns What `run` resolves to.
   * @throws whatever `run` rejects with (recorded as the span's `error.type`).
   * @example
   * ```ts
   * const rows = await telemetry.traced('audit query', { 'db.system.name': 'postgresql' }, () => pool.any(q));
   * ```
   */
  traced<T>(name: string, attributes: TelemetryAttributes, run: () => Promise<T>): Promise<T> {
    const api = this.#api;
    const parent = api?.trace.getSpan(api.context.active());
    if (parent === undefined || !parent.isRecording()) return run();
    const span = this.#tracer.startSpan(name, { kind: SPAN_KIND_CLIENT, attributes });
    return run().then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.setAttribute('error.type', errorType(error));
        span.setStatus({ code: SPAN_STATUS_ERROR });
        span.end();
        throw error;
      },
    );
  }
}

/**
 * The `error.type` of a fault, as OpenTelemetry semantic conventions want it: the error's class
 * name (low cardinality, never its message), or `_OTHER` for a non-error value.
 *
 * @param error - What was thrown.
 * @returns The class name, e.g. `RateLimitTimeoutError`.
 * @example
 * ```ts
 * errorType(new TypeError('x')); // 'TypeError'
 * ```
 */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}

// The global providers count only once an SDK is registered: until then the API's meter and
// tracer are no-ops, and reporting to them would cost every call something for nothing.

/** The global meter provider, unless it is the API's no-op one (no SDK registered). */
function liveMeterProvider(api: OtelApiLike | undefined, name: string): MeterProviderLike | undefined {
  if (api === undefined) return undefined;
  const provider = api.metrics.getMeterProvider();
  return provider.getMeter(name).constructor === api.createNoopMeter().constructor ? undefined : provider;
}

/** The global tracer provider, unless no SDK has been registered behind its proxy. */
function liveTracerProvider(api: OtelApiLike | undefined, name: string): TracerProviderLike | undefined {
  if (api === undefined) return undefined;
  const provider = api.trace.getTracerProvider();
  if (provider.getDelegateTracer !== undefined && provider.getDelegateTracer(name) === undefined) {
    return undefined;
  }
  return provider;
}

const NOOP_METER_PROVIDER: MeterProviderLike = {
  getMeter: () => ({
    createCounter: () => ({ add: () => undefined }),
    createHistogram: () => ({ record: () => undefined }),
  }),
};

const NOOP_TRACER_PROVIDER: TracerProviderLike = {
  getTracer: () => ({
    startSpan: () => ({
      setAttribute: () => undefined,
      setStatus: () => undefined,
      isRecording: () => false,
      end: () => undefined,
    }),
  }),
};

/**
 * Seconds since `startMs` (a `performance.now()` reading): OpenTelemetry's unit of duration.
 *
 * @param startMs - When the call started.
 * @returns The elapsed time in seconds.
 * @example
 * ```ts
 * const start = performance.now();
 * duration.record(secondsSince(start));
 * ```
 */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/**
 * Histogram buckets for store calls, in seconds: from 0.5 ms (a local Redis) to 2.5 s (past any
 * sane timeout). OpenTelemetry's default buckets start at 5 ms, too coarse for Redis.
 *
 * @example
 * ```ts
 * meter.createHistogram('x.duration', { unit: 's', advice: { explicitBucketBoundaries: [...STORE_DURATION_BUCKETS] } });
 * ```
 */
export const STORE_DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];
