import { sendOtpEmailTask } from './send-otp-email.js';
import type { RetryPolicy, Task } from './task.js';
import { writeAuditLogTask } from './write-audit-log.js';

/** Every task the worker runs. */
const TASKS: readonly Task[] = [sendOtpEmailTask, writeAuditLogTask];

/** The queues the worker consumes, each with its tasks by job name. */
export function tasksByQueue(): Map<string, Map<string, Task>> {
  const byQueue = new Map<string, Map<string, Task>>();
  for (const task of TASKS) {
    const tasks = byQueue.get(task.queue) ?? new Map<string, Task>();
    byQueue.set(task.queue, tasks.set(task.name, task));
  }
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
