/**
 * `@tses/core`: what several `@tses/*` libraries need and none should own. Email and IP
 * normalisation (one address is one subject everywhere), the in-memory TTL map their memory
 * stores share, and one test for "the backing service cannot be reached", and the
 * OpenTelemetry reporting they share (through `@opentelemetry/api`, an optional peer). No dependencies.
 *
 * @packageDocumentation
 */
export { normalizeEmail } from './email.js';
export type { EmailProblem, NormalizedEmail } from './email.js';
export { normalizeIp } from './ip.js';
export type { NormalizedIp } from './ip.js';
export { ExpiringMap } from './expiring-map.js';
export type { ExpiringMapOptions } from './expiring-map.js';
export { CONNECTION_ERROR_CODES, isConnectionFault } from './connection-faults.js';
export type { ConnectionFaultTest } from './connection-faults.js';
export { errorType, secondsSince, STORE_DURATION_BUCKETS, Telemetry } from './telemetry/telemetry.js';
export type { TelemetryOptions } from './telemetry/telemetry.js';
export type {
  CounterLike,
  HistogramLike,
  InstrumentOptionsLike,
  MeterLike,
  MeterProviderLike,
  SpanLike,
  TelemetryAttributes,
  TracerLike,
  TracerProviderLike,
} from './telemetry/otel-like.js';
