import type { JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AuditStore } from '@tses/audit';
import type { JobEncryptionKey } from '../crypto/encryption-key.js';
import type { EmailTransport } from '../email/email-transport.js';
import { InvalidJobPayloadError } from '../errors.js';

/**
 * How often and how patiently a task is retried. The same policy drives BullMQ job options
 * (`attempts`, `backoff`) and the in-process runner, so both back off identically.
 */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly attempts: number;
  /** Exponential backoff: attempt n waits `delay * 2^(n-1)` ms, minus up to `jitter` of it. */
  readonly backoff: { readonly type: 'exponential'; readonly delay: number; readonly jitter?: number };
}

/** What every task may use. One object so the BullMQ and in-process runners wire tasks alike. */
export interface TaskDependencies {
  /** Delivers emails (console or SMTP). */
  readonly transport: EmailTransport;
  /** Writes audit events, idempotent by event id (`@tses/audit`'s store; only `write` is used). */
  readonly auditStore: Pick<AuditStore, 'write'>;
  /** Decrypts OTP envelopes. */
  readonly encryptionKey: JobEncryptionKey;
  /** The clock; injectable for tests. */
  readonly now: () => Date;
}

/** Per-attempt facts handed to a task. */
export interface TaskContext {
  /** A child logger already bound to queue, job name, id and attempt. */
  readonly logger: Logger;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Total attempts allowed. */
  readonly maxAttempts: number;
  /** Aborted when a bounded shutdown stops waiting for this attempt; pass it to I/O. */
  readonly signal: AbortSignal;
}

/**
 * A finished attempt. `skipped` means the task chose not to act (e.g. an expired code) and must
 * not be retried. `detail` is logged, so it must never hold a code, token or ciphertext.
 */
export interface TaskResult {
  readonly outcome: 'completed' | 'skipped';
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A unit of background work: a name, its queue, a zod payload schema, a retry policy, and the
 * code that runs one attempt. Throw BullMQ's `UnrecoverableError` for what a retry cannot fix.
 */
export interface Task<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly queue: string;
  readonly payload: Schema;
  readonly retry: RetryPolicy;
  /** How long BullMQ keeps finished jobs: `removeOnComplete` / `removeOnFail`. */
  readonly retention: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;
  run(payload: z.output<Schema>, deps: TaskDependencies, context: TaskContext): Promise<TaskResult>;
}

/**
 * The delay before attempt `attemptsMade + 1`, computed as BullMQ's built-in `exponential`
 * strategy does (`classes/backoffs.js`), so in-process retries match queued ones.
 *
 * @param policy - The task's retry policy.
 * @param attemptsMade - Attempts already failed (≥ 1).
 * @param random - Source of jitter in [0, 1); injectable for tests.
 * @returns Milliseconds to wait.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attemptsMade: number,
  random: () => number = Math.random,
): number {
  const max = Math.round(2 ** (attemptsMade - 1) * policy.backoff.delay);
  const jitter = policy.backoff.jitter ?? 0;
  return jitter > 0 ? Math.floor(random() * max * jitter + max * (1 - jitter)) : max;
}

/**
 * BullMQ job options for a task: its retention plus a retry policy (the task's own unless
 * overridden).
 *
 * @param task - The task.
 * @param policy - The retry policy to apply.
 * @returns Options for `Queue.add`.
 */
export function jobOptionsFor(task: Task, policy: RetryPolicy = task.retry): JobsOptions {
  return { ...task.retention, attempts: policy.attempts, backoff: { ...policy.backoff } };
}

/**
 * Validates a job payload against its schema: in the publishers before a job is queued, and in
 * the runners before an attempt runs.
 *
 * @param jobName - The job, named in the error.
 * @param schema - Its zod payload schema.
 * @param value - The payload as given.
 * @returns The parsed payload.
 * @throws {@link InvalidJobPayloadError} listing `path: reason` for each issue, never the values
 *   (they may include a ciphertext or personal data).
 */
export function parseJobPayload<S extends z.ZodType>(
  jobName: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidJobPayloadError(
    jobName,
    parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  );
}
