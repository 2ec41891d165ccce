import { z } from 'zod';

const EXPORTERS = ['none', 'otlp', 'console'] as const;
const SAMPLERS = ['parentbased_always_on', 'parentbased_traceidratio', 'always_on', 'traceidratio'] as const;

/**
 * OpenTelemetry tracing, by the standard `OTEL_*` variables, off unless `OTEL_TRACES_EXPORTER` says
 * otherwise: `otlp` (OTLP/HTTP, to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, read by the exporter itself), or `console`.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...tracingEnv });
 * ```
 */
export const tracingEnv = {
  OTEL_TRACES_EXPORTER: z
    .enum(EXPORTERS, { error: `must be one of ${EXPORTERS.join(', ')}` })
    .default('none'),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` })
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'must be a ratio from 0 to 1' })
    .min(0, { error: 'must be a ratio from 0 to 1' })
    .max(1, { error: 'must be a ratio from 0 to 1' })
    .default(1),
};

/** The parsed tracing variables. */
export interface TracingEnv {
  readonly OTEL_TRACES_EXPORTER: (typeof EXPORTERS)[number];
  readonly OTEL_SERVICE_NAME?: string | undefined;
  readonly OTEL_TRACES_SAMPLER: (typeof SAMPLERS)[number];
  readonly OTEL_TRACES_SAMPLER_ARG: number;
}
