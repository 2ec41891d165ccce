import { auditEventsTask } from './audit-events.js';
import { otpIssuedTask } from './otp-issued.js';
import { sendOtpEmailTask } from './send-otp-email.js';
import type { RetryPolicy, Task } from './task.js';
import { writeAuditLogTask } from './write-audit-log.js';

/**
 * Every task of the job system. Adding a job is one task module and one entry here: the
 * publishers gain its `publishAs` method, the BullMQ worker consumes its queue, the in-process
 * runner runs it. `send_otp_email` and `write_audit_log` stay consumable after the API moved to
 * `otp_issued` and `audit_events`: jobs of the previous version still queued during a rolling deploy run as before.
 */
export const TASKS = [otpIssuedTask, auditEventsTask, sendOtpEmailTask, writeAuditLogTask] as const;

/** One of {@link TASKS}. */
export type AnyTask = (typeof TASKS)[number];

/** The input a task's publisher method takes. */
export type TaskInput<T> = T extends Task<string, infer Input> ? Input : never;

/**
 * The queues the worker consumes, each with its tasks by job name.
 *
 * @returns Queue name → job name → task.
 * @example
 * ```ts
 * for (const [queue, byName] of tasksByQueue()) new Worker(queue, (job) => run(byName.get(job.name)));
 * ```
 */
export function tasksByQueue(): Map<string, Map<string, AnyTask>> {
  const byQueue = new Map<string, Map<string, AnyTask>>();
  for (const task of TASKS) {
    const tasks = byQueue.get(task.queue) ?? new Map<string, AnyTask>();
    byQueue.set(task.queue, tasks.set(task.name, task));
  }
  return byQueue;
}

/**
 * Per-task retry overrides, keyed by job name (`send_otp_email`, `write_audit_log`). Tests use
 * them for short backoffs; production keeps the policies declared beside each task.
 */
export type RetryOverrides = Readonly<Partial<Record<string, RetryPolicy>>>;

/**
 * A task's retry policy: its own unless overridden.
 *
 * @param task - The task.
 * @param overrides - Overrides by job name.
 * @returns The policy to apply.
 * @example
 * ```ts
 * const policy = retryPolicyOf(sendOtpEmailTask, { send_otp_email: { attempts: 1, backoff: { type: 'exponential', delay: 10 } } });
 * ```
 */
export function retryPolicyOf(
  task: Pick<Task, 'name' | 'retry'>,
  overrides: RetryOverrides | undefined,
): RetryPolicy {
  return overrides?.[task.name] ?? task.retry;
}
