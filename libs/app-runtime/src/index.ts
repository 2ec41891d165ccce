/**
 * `@tses/app-runtime`: what the API and the worker share at run time, so each app is only its
 * wiring: the environment loader and the variables both read, the safe pino logger, graceful
 * shutdown, and (as `@tses/app-runtime/node-version`) the Node.js check of their entry points.
 *
 * @packageDocumentation
 */
export { AppConfigError, AppError } from './errors.js';
export type { AnyAppError, AppErrorCode } from './errors.js';
export { loadEnv } from './env/load-env.js';
export type { Environment } from './env/load-env.js';
export {
  backingServicesEnv,
  integerVariable,
  requiredVariable,
  runtimeEnv,
  urlVariable,
} from './env/env-variables.js';
export type { LogLevel } from './env/env-variables.js';
export { checkRedisEnv, describeRedisTarget, redisEnv, redisTargetOf } from './env/redis-env.js';
export type { RedisClusterNode, RedisEnv, RedisTarget } from './env/redis-env.js';
export { createSafeLogger, isSecretField, REDACTED, serializeError } from './logger/safe-logger.js';
export type { SafeLoggerOptions } from './logger/safe-logger.js';
export { installGracefulShutdown } from './process/graceful-shutdown.js';
export type { GracefulShutdownOptions } from './process/graceful-shutdown.js';
export { metricsEnv, checkMetricsEnv, metricsMode } from './metrics/metrics-env.js';
export type { MetricsEnv } from './metrics/metrics-env.js';
export { bearerMatches } from './metrics/bearer-token.js';
export { createMetricsPipeline } from './metrics/metrics-pipeline.js';
export type { MetricsPipeline } from './metrics/metrics-pipeline.js';
export { PROMETHEUS_CONTENT_TYPE, startMetricsServer } from './metrics/metrics-server.js';
export type { MetricsServerOptions } from './metrics/metrics-server.js';
export { observeProcess } from './metrics/process-metrics.js';
export { tracingEnv } from './tracing/tracing-env.js';
export type { TracingEnv } from './tracing/tracing-env.js';
export { registerTracing, startTracing } from './tracing/start-tracing.js';
export type { Tracing } from './tracing/start-tracing.js';
