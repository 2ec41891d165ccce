// The slice of the OpenTelemetry API the libraries call, as structural types: a consumer's
// declarations then compile without `@opentelemetry/api` installed, and the real providers
// (`metrics.getMeterProvider()`, an SDK `MeterProvider`, a `TracerProvider`) fit them as they are.

/**
 * Attributes of a measurement or span: low-cardinality names only (a rule or policy name, an
 * outcome), never an email, IP, code or key.
 *
 * @example
 * ```ts
 * const attributes: TelemetryAttributes = { 'tses.ratelimit.rule': 'login', 'tses.ratelimit.outcome': 'denied' };
 * ```
 */
export type TelemetryAttributes = Readonly<Record<string, string | number | boolean>>;

/** Options of an instrument, as OpenTelemetry's `MetricOptions` has them. */
export interface InstrumentOptionsLike {
  readonly description?: string;
  readonly unit?: string;
  readonly advice?: { readonly explicitBucketBoundaries?: number[] };
}

/** An OpenTelemetry `Counter`. */
export interface CounterLike {
  add(value: number, attributes?: TelemetryAttributes): void;
}

/** An OpenTelemetry `Histogram`. */
export interface HistogramLike {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** An OpenTelemetry `Meter`. */
export interface MeterLike {
  createCounter(name: string, options?: InstrumentOptionsLike): CounterLike;
  createHistogram(name: string, options?: InstrumentOptionsLike): HistogramLike;
}

/**
 * An OpenTelemetry `MeterProvider`: `metrics.getMeterProvider()` from `@opentelemetry/api`, or an
 * SDK `MeterProvider` given directly.
 *
 * @example
 * ```ts
 * import { MeterProvider } from '@opentelemetry/sdk-metrics';
 * const meterProvider: MeterProviderLike = new MeterProvider({ readers: [reader] });
 * ```
 */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): MeterLike;
}

/** An OpenTelemetry `Span`. */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  isRecording(): boolean;
  end(): void;
}

/** An OpenTelemetry `Tracer`. */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; attributes?: TelemetryAttributes }): SpanLike;
}

/**
 * An OpenTelemetry `TracerProvider`: `trace.getTracerProvider()`, or an SDK provider.
 *
 * @example
 * ```ts
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace';
 * const tracerProvider: TracerProviderLike = new BasicTracerProvider();
 * ```
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): TracerLike;
}

/** What the libraries use of the `@opentelemetry/api` module. */
export interface OtelApiLike {
  readonly metrics: { getMeterProvider(): MeterProviderLike };
  createNoopMeter(): MeterLike;
  readonly trace: {
    /** A `ProxyTracerProvider`: `getDelegateTracer` answers `undefined` until an SDK is registered. */
    getTracerProvider(): TracerProviderLike & {
      getDelegateTracer?(name: string, version?: string): TracerLike | undefined;
    };
    getSpan(context: unknown): SpanLike | undefined;
  };
  readonly context: { active(): unknown };
}
