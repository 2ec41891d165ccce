import { isIP } from 'node:net';
import { z } from 'zod';
import { integerVariable } from '../env/env-variables.js';

const MIN_TOKEN_BYTES = 32;

/**
 * Where `GET /metrics` is served, so it is never public by accident: on its own port
 * (`METRICS_PORT`, on `METRICS_HOST`, loopback by default), or on the app's port behind a bearer
 * token (`METRICS_TOKEN`), or both (its own port, token required). Neither: no metrics endpoint.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...metricsEnv }).superRefine(checkMetricsEnv);
 * ```
 */
export const metricsEnv = {
  METRICS_PORT: integerVariable(1, 65_535).optional(),
  METRICS_HOST: z.string().trim().default('127.0.0.1'),
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= MIN_TOKEN_BYTES, {
      message: `must be at least ${MIN_TOKEN_BYTES} bytes (bearer token for GET /metrics); generate one with: openssl rand -base64 48`,
    }),
};

/** The parsed metrics variables. */
export interface MetricsEnv {
  readonly METRICS_PORT?: number | undefined;
  readonly METRICS_HOST: string;
  readonly METRICS_TOKEN?: string | undefined;
}

/**
 * The rule across the metrics variables: a metrics port on a non-loopback address needs a token
 * (a container publishing it must opt in by setting one).
 *
 * @param env - The parsed variables.
 * @param ctx - zod's refinement context (issues are added to it).
 * @example
 * ```ts
 * z.object({ ...metricsEnv }).superRefine((env, ctx) => checkMetricsEnv(env, ctx));
 * ```
 */
export function checkMetricsEnv(env: MetricsEnv, ctx: z.RefinementCtx): void {
  if (env.METRICS_PORT !== undefined && !isLoopback(env.METRICS_HOST) && env.METRICS_TOKEN === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_TOKEN'],
      message: 'is required when METRICS_HOST is not a loopback address (metrics would be public)',
    });
  }
}

/**
 * How a validated environment serves metrics: `off`, `port` (its own listener) or `app` (the app's
 * port, token required).
 *
 * @param env - The parsed variables.
 * @returns The mode.
 * @example
 * ```ts
 * if (metricsMode(config) === 'port') startMetricsServer({ ... });
 * ```
 */
export function metricsMode(env: MetricsEnv): 'off' | 'port' | 'app' {
  if (env.METRICS_PORT !== undefined) return 'port';
  return env.METRICS_TOKEN !== undefined ? 'app' : 'off';
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
