/**
 * One finished job attempt, as the worker reports it to `onJob`: queue, job name, outcome and how
 * long the attempt ran. Never the job's data.
 *
 * @example
 * ```ts
 * const onJob = (e: JobAttemptEvent) => log.info(e, 'job attempt');
 * ```
 */
export interface JobAttemptEvent {
  readonly queue: string;
  readonly name: string;
  /** `completed`; `retrying` (a failed attempt BullMQ will retry); `failed` (no attempt left). */
  readonly outcome: 'completed' | 'retrying' | 'failed';
  /** From BullMQ's `processedOn` to `finishedOn` (or now, for a retried attempt), in milliseconds. */
  readonly durationMs: number;
}
