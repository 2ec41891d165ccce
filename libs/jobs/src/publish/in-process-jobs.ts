import { randomBytes, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AuditStore } from '@tses/audit';
import { parseEncryptionKey, type JobEncryptionKey } from '../crypto/encryption-key.js';
import type { EmailTransport } from '../email/email-transport.js';
import { PublisherClosedError } from '../errors.js';
import { settlesWithin } from '../run/race-abort.js';
import { isUnrecoverable, runAttempt } from '../run/run-attempt.js';
import { retryPolicyOf, type AnyTask, type RetryOverrides } from '../tasks/task-list.js';
import { backoffDelay, type JobQueue, type TaskDependencies } from '../tasks/task.js';
import { publishMethods, type JobPublisher } from './job-publisher.js';

/** Options of {@link createInProcessJobs}. */
export interface InProcessJobsOptions {
  readonly transport: EmailTransport;
  readonly auditStore: AuditStore;
  readonly logger: Logger;
  /** Key for the in-memory payloads; default a random key per process (nothing leaves it). */
  readonly encryptionKey?: string | JobEncryptionKey;
  /** How long `close()` waits for running jobs. Default 10 000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** Per-job retry overrides (tests); default each task's declared policy. */
  readonly retry?: RetryOverrides;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** The in-process runner: a {@link JobPublisher} you can also wait on. */
export type InProcessJobs = JobPublisher & {
  /** Jobs accepted and not yet finished (running or waiting to retry). */
  readonly pending: number;
  /** Resolves when no job is pending (tests: "the email was sent"). */
  whenIdle(): Promise<void>;
};

/**
 * Runs jobs inside the API process, for embedded mode (no Redis, no PostgreSQL): the same task
 * code, payload validation, encryption, logs and retry/backoff policy as the BullMQ worker, but
 * jobs live in memory and are lost if the process dies. A publish returns at once; the job starts
 * on a later event-loop turn, so it never delays the HTTP response.
 *
 * @param options - Transport, audit store, logger.
 * @returns The runner.
 * @example
 * ```ts
 * const jobs = createInProcessJobs({ transport: createConsoleTransport(), auditStore, logger });
 * await jobs.sendOtpEmail({ email, otp: code, expiresAt });
 * await jobs.close(); // drains, bounded
 * ```
 */
export function createInProcessJobs(options: InProcessJobsOptions): InProcessJobs {
  const key = parseEncryptionKey(options.encryptionKey ?? randomBytes(32).toString('base64'));
  const context = { encryptionKey: key };
  const deps: TaskDependencies = {
    transport: options.transport,
    auditStore: options.auditStore,
    encryptionKey: key,
    now: options.now ?? (() => new Date()),
  };
  const logger = options.logger;
  const running = new Set<Promise<void>>();
  const closing = new AbortController(); // wakes jobs sleeping before a retry
  const abandon = new AbortController(); // stops waiting for attempts at the shutdown bound
  let closePromise: Promise<void> | undefined;

  async function execute(task: AnyTask, data: unknown, jobId: string): Promise<void> {
    await nextTurn();
    const policy = retryPolicyOf(task, options.retry);
    const done = new Set<string>();
    const steps = { done, markDone: async (step: string) => void done.add(step) };
    for (let attempt = 1; ; attempt++) {
      // Once closing, this attempt is the last: nothing would be left to run a later one.
      const maxAttempts = closing.signal.aborted ? attempt : policy.attempts;
      const meta = { queue: task.queue, jobId, attempt, maxAttempts, signal: abandon.signal, steps };
      try {
        await runAttempt(task, data, deps, meta, logger);
        return;
      } catch (error) {
        if (isUnrecoverable(error) || attempt >= maxAttempts) return; // logged by runAttempt
      }
      await sleep(backoffDelay(policy, attempt), undefined, { signal: closing.signal }).catch(() => {});
    }
  }

  // A task's queue, as its `enqueue` sees it: adding a job starts it in this process. One per
  // task, as in the BullMQ publisher, so a task that coalesces its jobs finds the same queue.
  const queues = new Map<AnyTask, JobQueue>();
  const queueOf = (task: AnyTask): JobQueue => {
    let queue = queues.get(task);
    if (queue === undefined) {
      queue = {
        async add(name, data, opts) {
          const id = opts.jobId ?? randomUUID();
          const job = execute(task, data, id).finally(() => running.delete(job));
          running.add(job);
          return { id, name, data };
        },
      };
      queues.set(task, queue);
    }
    return queue;
  };

  async function drain(): Promise<void> {
    closing.abort();
    const all = Promise.allSettled(running);
    if (!(await settlesWithin(all, options.shutdownTimeoutMs ?? 10_000))) {
      logger.warn({ abandoned: running.size }, 'in-process jobs abandoned at shutdown');
      abandon.abort(new Error('shutdown timeout: attempt abandoned'));
      await all;
    }
  }

  return {
    get pending() {
      return running.size;
    },
    async whenIdle() {
      while (running.size > 0) await Promise.allSettled(running);
    },
    ...publishMethods(async (task, input) => {
      if (closePromise) throw new PublisherClosedError(`Cannot run ${task.name}: the job runner is closed.`);
      await task.enqueue(queueOf(task), input as never, context);
    }),
    close() {
      closePromise ??= drain();
      return closePromise;
    },
  };
}
