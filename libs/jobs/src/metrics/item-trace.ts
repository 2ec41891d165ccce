import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Link,
  type ProxyTracerProvider,
} from '@opentelemetry/api';

// `@opentelemetry/api` is imported directly: it is a dependency of this private package, and
// `bullmq-otel` (behind `jobTracing`) loads it at import anyway. Without a registered SDK every
// call below stops at its first check: nothing is injected, extracted or started.

const TRACER_NAME = '@tses/jobs';

/** A W3C `traceparent`: version, trace id, parent span id, flags. */
export const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The `traceparent` of the caller's context when a span is being recorded there (a request being
 * traced), through the global propagator (W3C Trace Context, as `registerTracing` sets it), for
 * one item of a batched job: the job itself joins the trace of the call that opened its batch,
 * so each item carries its own.
 *
 * @returns The header value, or `undefined` when nothing is being traced.
 * @example
 * ```ts
 * const item = { ...payload, ...withTraceparent() };
 * ```
 */
export function captureTraceparent(): string | undefined {
  const active = context.active();
  if (trace.getSpan(active)?.isRecording() !== true) return undefined;
  const carrier: { traceparent?: string } = {};
  propagation.inject(active, carrier);
  return carrier.traceparent !== undefined && TRACEPARENT_PATTERN.test(carrier.traceparent)
    ? carrier.traceparent
    : undefined;
}

/** Whether an SDK has been registered behind the global tracer provider. */
function tracing(): boolean {
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  return provider.getDelegateTracer === undefined || provider.getDelegateTracer(TRACER_NAME) !== undefined;
}

/** What an item's steps may record on its span (nothing, when it is not traced). */
export interface ItemSpan {
  /** Records an outcome (never personal data). */
  setAttribute(key: string, value: string | number): void;
  /** Marks the item failed, with the failing error's class name. */
  fail(errorType: string): void;
}

const UNTRACED: ItemSpan = { setAttribute: () => undefined, fail: () => undefined };

/**
 * Runs the steps of one item of a batched job inside a span whose parent is the item's own
 * request (`traceparent`), linked to the job's consumer span (the active one). Parent rather
 * than link: the item's work then shows in the trace of the request that caused it, which is the
 * trace anyone debugging that request opens; the link leads from there to the batch it ran in.
 * Without a `traceparent`, or with no SDK registered, `run` runs as is.
 *
 * @param name - Span name, e.g. `otp_issued item`.
 * @param traceparent - The item's `traceparent`, if it carries one.
 * @param attributes - Span attributes (never personal data).
 * @param run - The item's steps, given the span to record outcomes on.
 * @returns What `run` resolves to.
 */
export function inItemSpan<T>(
  name: string,
  traceparent: string | undefined,
  attributes: Readonly<Record<string, string | number>>,
  run: (span: ItemSpan) => Promise<T>,
): Promise<T> {
  if (traceparent === undefined || !tracing()) return run(UNTRACED);
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  if (trace.getSpanContext(parent) === undefined) return run(UNTRACED);
  const consumer = trace.getSpan(context.active())?.spanContext();
  const links: Link[] = consumer === undefined ? [] : [{ context: consumer }];
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(name, { kind: SpanKind.INTERNAL, attributes, links }, parent);
  const item: ItemSpan = {
    setAttribute: (key, value) => span.setAttribute(key, value),
    fail(errorType) {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
  };
  return context
    .with(trace.setSpan(parent, span), () => run(item))
    .then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        item.fail(error instanceof Error ? error.name : '_OTHER');
        span.end();
        throw error;
      },
    );
}
