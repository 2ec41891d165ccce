import type { Meter } from '@opentelemetry/api';
import type { Queue } from 'bullmq';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Observes `tses.queue.jobs`: how many jobs each queue holds per state (waiting, active,
 * delayed, failed), read with one `getJobCounts` per queue when metrics are collected. A queue
 * that cannot be read (Redis down) is left out of that collection rather than reported as 0.
 *
 * @param meter - Where to report.
 * @param queues - The queues to watch.
 * @returns A function that stops observing.
 * @example
 * ```ts
 * const stop = observeQueueDepths(meter, [emailQueue, auditQueue]);
 * ```
 */
export function observeQueueDepths(meter: Meter, queues: readonly Queue[]): () => void {
  const gauge = meter.createObservableGauge('tses.queue.jobs', {
    description: 'Jobs in each BullMQ queue by state.',
    unit: '{job}',
  });
  const callback = async (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    await Promise.all(
      queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES).catch(() => undefined);
        if (counts === undefined) return;
        for (const state of STATES) {
          result.observe(counts[state] ?? 0, {
            'messaging.destination.name': queue.name,
            'tses.queue.state': state,
          });
        }
      }),
    );
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
