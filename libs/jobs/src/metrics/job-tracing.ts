import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

/**
 * BullMQ's OpenTelemetry telemetry (bullmq-otel), for `createBullmqJobPublisher` and `startWorker`
 * when tracing is on: adding a job records a producer span and carries the active trace
 * (`traceparent`, through the global propagator) in the job's options; the worker continues that
 * trace in a consumer span around each attempt. Never the job's data.
 *
 * @returns The telemetry to pass as `telemetry`.
 * @example
 * ```ts
 * const worker = startWorker({ ...options, telemetry: jobTracing() });
 * ```
 */
export function jobTracing(): Telemetry {
  return new BullMQOtel({ tracerName: '@tses/jobs' }) as unknown as Telemetry;
}
