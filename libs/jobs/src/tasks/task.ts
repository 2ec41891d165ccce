import type { AuditStore } from '@tses/audit';
import type { JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';
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
  /** The steps of this job that earlier attempts finished: a retry skips them. */
  readonly steps: JobSteps;
}

/**
 * The finished steps of one job, kept across its attempts (BullMQ: in the job's `progress`, so
 * they live and die with the job; in-process: in memory). A step that must not run twice (an
 * email) is marked done as soon as it succeeded; the retry of a job that failed elsewhere then
 * skips it.
 */
export interface JobSteps {
  /** Step names already done. */
  readonly done: ReadonlySet<string>;
  /** Records `step` as done; resolves once the record is stored. */
  markDone(step: string): Promise<void>;
}

/**
 * A finished attempt. `skipped` means the task chose not to act (e.g. an expired code) and must
 * not be retried. `detail` is logged, so it must never hold a code, token or ciphertext.
 */
export interface TaskResult {
  readonly outcome: 'completed' | 'skipped';
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** An added job, as BullMQ's `Queue.add` returns it (the members publishers read). */
export interface QueuedJob<Data = unknown> {
  readonly id?: string | undefined;
  readonly name: string;
  readonly data: Data;
}

/**
 * Where a task's `enqueue` adds its job: a BullMQ `Queue` (through the BullMQ publisher), or the
 * in-process runner, which runs it in this process. BullMQ's own `add` signature, so an
 * `enqueue` written for BullMQ (such as `@tses/audit`'s `enqueueAuditEvent`) works on both.
 */
export interface JobQueue {
  add<Data>(name: string, data: Data, opts: JobsOptions): Promise<QueuedJob<Data>>;
}

/** What the publishers hand to `enqueue`. */
export interface PublishContext {
  /** Encrypts what must not sit in Redis in plain text (the sign-in code). */
  readonly encryptionKey: JobEncryptionKey;
}

/**
 * A unit of background work, declared once and used by every part of the job system: the
 * publishers derive their `publishAs` method from it and add jobs through `enqueue`; the BullMQ
 * worker and the in-process runner validate the payload against `payload` and run `run`, retrying
 * by `retry`. Throw BullMQ's `UnrecoverableError` for what a retry cannot fix.
 *
 * @typeParam Method - The publisher method that queues it (`sendOtpEmail`).
 * @typeParam Input - What that method takes.
 * @typeParam Schema - The zod schema of the job data.
 */
export interface Task<Method extends string = string, Input = never, Schema extends z.ZodType = z.ZodType> {
  /** The BullMQ job name. */
  readonly name: string;
  readonly queue: string;
  /** The name of the publisher method that queues it. */
  readonly publishAs: Method;
  readonly payload: Schema;
  readonly retry: RetryPolicy;
  /** How long BullMQ keeps finished jobs: `removeOnComplete` / `removeOnFail`. */
  readonly retention: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;
  /**
   * Validates the publisher's input (once) and adds the job to `queue`, with
   * {@link jobOptionsFor} this task.
   *
   * @throws {@link InvalidJobPayloadError} for bad input, before anything is queued.
   */
  enqueue(queue: JobQueue, input: Input, context: PublishContext): Promise<QueuedJob>;
  run(payload: z.output<Schema>, deps: TaskDependencies, context: TaskContext): Promise<TaskResult>;
}

/**
 * Declares a task, keeping its `publishAs` literal so the publishers' typed methods can be
 * derived from the task list.
 *
 * @param task - The task.
 * @returns The same task.
 * @example
 * ```ts
 * export const pingTask = defineTask<'ping', { at: Date }, typeof pingSchema>({ name: 'ping', publishAs: 'ping', … });
 * ```
 */
export function defineTask<const Method extends string, Input, Schema extends z.ZodType>(
  task: Task<Method, Input, Schema>,
): Task<Method, Input, Schema> {
  return task;
}

/**
 * The delay before attempt `attemptsMade + 1`, computed as BullMQ's built-in `exponential`
 * strategy does (`classes/backoffs.js`), so in-process retries match queued ones.
 *
 * @param policy - The task's retry policy.
 * @param attemptsMade - Attempts already failed (≥ 1).
 * @param random - Source of jitter in [0, 1); injectable for tests.
 * @returns Milliseconds to wait.
 * @example
 * ```ts
 * backoffDelay({ attempts: 5, backoff: { type: 'exponential', delay: 2_000 } }, 2); // 4000
 * ```
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
 * The BullMQ job options of a task: its retention plus a retry policy (its own unless
 * overridden). The one form of a task's options: every job of the task is added with them.
 *
 * @param task - The task.
 * @param policy - The retry policy to apply.
 * @returns Options for `Queue.add`.
 * @example
 * ```ts
 * await queue.add(sendOtpEmailTask.name, payload, jobOptionsFor(sendOtpEmailTask));
 * ```
 */
export function jobOptionsFor(
  task: Pick<Task, 'retry' | 'retention'>,
  policy: RetryPolicy = task.retry,
): JobsOptions {
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
 * @example
 * ```ts
 * const payload = parseJobPayload(task.name, task.payload, job.data);
 * ```
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
