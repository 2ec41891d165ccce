import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BatchObservableResult, Meter } from '@opentelemetry/api';

/**
 * Observes the process with OpenTelemetry's semantic-convention names: CPU time, resident memory,
 * V8 heap in use, event loop delay (p50/p99 over the last scrape interval).
 *
 * @param meter - Where to report.
 * @returns A function that stops observing.
 * @example
 * ```ts
 * const stop = observeProcess(provider.getMeter('app'));
 * ```
 */
export function observeProcess(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const cpu = meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time used.' });
  const memory = meter.createObservableGauge('process.memory.usage', {
    unit: 'By',
    description: 'Resident set size.',
  });
  const heap = meter.createObservableGauge('v8js.memory.heap.used', {
    unit: 'By',
    description: 'V8 heap in use.',
  });
  const loop = meter.createObservableGauge('nodejs.eventloop.delay', {
    unit: 's',
    description: 'Event loop delay since the previous scrape.',
  });
  const observables = [cpu, memory, heap, loop];
  const callback = (result: BatchObservableResult): void => {
    const usage = process.cpuUsage();
    result.observe(cpu, usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(cpu, usage.system / 1e6, { 'cpu.mode': 'system' });
    result.observe(memory, process.memoryUsage.rss());
    result.observe(heap, process.memoryUsage().heapUsed);
    result.observe(loop, delay.percentile(50) / 1e9, { quantile: 'p50' });
    result.observe(loop, delay.percentile(99) / 1e9, { quantile: 'p99' });
    delay.reset();
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => {
    meter.removeBatchObservableCallback(callback, observables);
    delay.disable();
  };
}
