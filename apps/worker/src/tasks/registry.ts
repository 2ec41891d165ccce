import { sendOtpEmailTask } from './send-otp-email.js';
import type { RetryPolicy, Task } from './task.js';
import { writeAuditLogTask } from './write-audit-log.js';

/** Every task the worker runs, by job name. */
export const TASKS: ReadonlyMap<string, Task> = new Map<string, Task>([
  [sendOtpEmailTask.name, sendOtpEmailTask],
  [writeAuditLogTask.name, writeAuditLogTask],
]);

/** The queues the worker consumes, each with the tasks it carries. */
export function tasksByQueue(): Map<string, Task[]> {
  const byQueue = new Map<string, Task[]>();
  for (const task of TASKS.values()) byQueue.set(task.queue, [...(byQueue.get(task.queue) ?? []), task]);
  return byQueue;
}

/**
 * Per-task retry overrides, keyed by job name (`send_otp_email`, `write_audit_log`). Tests and
 * embedded mode use them for short backoffs; production keeps the policies declared beside
 * each task.
 */
export type RetryOverrides = Readonly<Partial<Record<string, RetryPolicy>>>;

/** The task's own policy unless overridden. */
export function retryPolicyOf(task: Task, overrides: RetryOverrides | undefined): RetryPolicy {
  return overrides?.[task.name] ?? task.retry;
}
