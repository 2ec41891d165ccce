import type { Meter } from '@opentelemetry/api';
import type { JobAttemptEvent } from './job-events.js';

// From a 1 ms audit write to a 30 s SMTP timeout, in seconds.
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * An `onJob` hook for `startWorker` that records `tses.job.duration` (seconds; its count is the
 * number of attempts) by queue (`messaging.destination.name`), job name and outcome.
 *
 * @param meter - Where to report.
 * @returns The hook.
 * @example
 * ```ts
 * startWorker({ ...options, onJob: jobDurationRecorder(pipeline.meter('@tses/worker')) });
 * ```
 */
export function jobDurationRecorder(meter: Meter): (event: JobAttemptEvent) => void {
  const duration = meter.createHistogram('tses.job.duration', {
    description: 'Duration of job attempts by queue, job name and outcome.',
    unit: 's',
    advice: { explicitBucketBoundaries: BUCKETS },
  });
  return (event) =>
    duration.record(event.durationMs / 1000, {
      'messaging.destination.name': event.queue,
      'messaging.operation.name': 'process',
      'tses.job.name': event.name,
      'tses.job.outcome': event.outcome,
    });
}
