import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { Middleware } from 'koa';

/** Options of {@link httpTracing}. */
export interface HttpTracingOptions {
  readonly tracer: Tracer;
}

/**
 * One server span per request, continuing the caller's trace (`traceparent`), named by method
 * and route template (`POST /api/v1/auth/otp/request`, never the raw path), with the status code;
 * everything downstream (the libraries' store spans, the jobs queued) runs inside it.
 *
 * @param options - The tracer.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(httpTracing({ tracer: tracing.tracer }));
 * ```
 */
export function httpTracing(options: HttpTracingOptions): Middleware {
  return async function httpTracing(ctx, next) {
    const parent = propagation.extract(context.active(), ctx.headers);
    const span = options.tracer.startSpan(
      ctx.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined;
      if (route !== undefined) {
        span.updateName(`${ctx.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', ctx.status);
      if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
