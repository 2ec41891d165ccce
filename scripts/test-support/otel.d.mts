import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** One recorded data point: a counter's sum, or a histogram's count. */
export interface TestPoint {
  readonly scope: string;
  readonly name: string;
  readonly unit: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
}
/** One finished span. */
export interface TestSpan {
  readonly name: string;
  /** OpenTelemetry's `SpanKind`: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly traceId: string;
  readonly parentSpanId: string | undefined;
  readonly status: number;
}
/** A fresh SDK and what it recorded (see otel.mjs). */
export interface OtelTestKit {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: TracerProvider;
  points(): Promise<TestPoint[]>;
  spans(): TestSpan[];
  shutdown(): Promise<void>;
}
/** Registers an AsyncLocalStorage context manager once. */
export declare function enableContext(): void;
/** A fresh meter provider and tracer provider reading into memory. */
export declare function otelTestKit(): OtelTestKit;
/** The sum of the points named `name` whose attributes include `match`. */
export declare function sumOf(
  points: readonly TestPoint[],
  name: string,
  match?: Readonly<Record<string, string>>,
): number;
/** Every attribute value of the points and spans, as strings. */
export declare function attributeValues(points: readonly TestPoint[], spans: readonly TestSpan[]): string[];
