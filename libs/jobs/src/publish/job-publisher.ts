import { TASKS, type AnyTask, type TaskInput } from '../tasks/task-list.js';

/**
 * What the API needs from the job system, whatever runs the jobs (BullMQ or in-process): one
 * method per task, named by its `publishAs` and typed by its input (`sendOtpEmail`,
 * `writeAuditLog`), and `close()`. Every method returns once the job is accepted, never after it
 * ran; it rejects with `InvalidJobPayloadError` for bad input (nothing is queued),
 * `QueueUnavailableError` when the backend cannot take the job now, and `PublisherClosedError`
 * after `close()`.
 *
 * @example
 * ```ts
 * await jobs.sendOtpEmail({ email, otp: result.code, expiresAt: result.expiresAt });
 * await jobs.writeAuditLog({ id: randomUUID(), event: 'OTP_REQUESTED', email, occurredAt: new Date() });
 * ```
 */
export type JobPublisher = {
  readonly [T in AnyTask as T['publishAs']]: (input: TaskInput<T>) => Promise<void>;
} & {
  /** Stops accepting jobs and releases resources (the in-process runner drains first, bounded). */
  close(): Promise<void>;
};

/**
 * The one publish path of both publishers: a method per task of the list, each handing the task
 * and its input to `publish`.
 *
 * @param publish - Queues one job of a task (the publisher's own transport).
 * @returns The publisher's task methods.
 */
export function publishMethods(
  publish: (task: AnyTask, input: unknown) => Promise<void>,
): Omit<JobPublisher, 'close'> {
  return Object.fromEntries(
    TASKS.map((task) => [task.publishAs, (input: unknown) => publish(task, input)]),
  ) as unknown as Omit<JobPublisher, 'close'>;
}
