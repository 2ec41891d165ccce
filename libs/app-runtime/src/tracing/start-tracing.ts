import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { TracingEnv } from './tracing-env.js';

/** Registered tracing: the app's tracer, and how to flush and stop. */
export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry tracing SDK globally: an AsyncLocalStorage context (a request's span
 * survives every `await`), the W3C `traceparent` propagator (requests in, jobs out), and a tracer
 * provider sending to `spanProcessor`. Call before building the services: the libraries take the
 * tracer provider at construction.
 *
 * @param options - Service name, span processor, sampler (default: the parent's decision, else on).
 * @returns The tracing.
 * @example
 * ```ts
 * const tracing = registerTracing({ serviceName: 'api', spanProcessor: new SimpleSpanProcessor({ exporter }) });
 * ```
 */
export function registerTracing(options: {
  readonly serviceName: string;
  readonly spanProcessor: SpanProcessor;
  readonly sampler?: Sampler;
}): Tracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: options.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [options.spanProcessor],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer(options.serviceName),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Tracing as the `OTEL_*` variables say: `undefined` (off) unless `OTEL_TRACES_EXPORTER` is `otlp`
 * or `console`; batched export; the standard samplers.
 *
 * @param env - The validated variables.
 * @param serviceName - The default `service.name` (`OTEL_SERVICE_NAME` overrides it).
 * @returns The tracing, or `undefined`.
 * @example
 * ```ts
 * const tracing = startTracing(config, 'tses-auth-service');
 * ```
 */
export function startTracing(env: TracingEnv, serviceName: string): Tracing | undefined {
  if (env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const exporter = env.OTEL_TRACES_EXPORTER === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter();
  return registerTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    spanProcessor: new BatchSpanProcessor({ exporter }),
    sampler: samplerOf(env),
  });
}

function samplerOf(env: TracingEnv): Sampler {
  const ratio = new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG);
  switch (env.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
