import { performance } from 'node:perf_hooks';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { InvalidJobPayloadError } from '../errors.js';
import {
  parseJobPayload,
  type JobSteps,
  type Task,
  type TaskDependencies,
  type TaskResult,
} from '../tasks/task.js';
import { raceAbort } from './race-abort.js';

/** Identity of one attempt, as logged. */
export interface AttemptMeta {
  readonly queue: string;
  readonly jobId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the runner stops waiting (bounded shutdown); the attempt then fails. */
  readonly signal: AbortSignal;
  /** The job's finished steps, kept across its attempts. */
  readonly steps: JobSteps;
}

/** Whether an error tells the runner not to retry (BullMQ's `UnrecoverableError`, by name too). */
export function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')
  );
}

/**
 * Runs one attempt of a task with the log line that proves it ran: queue, job name, id,
 * attempt, duration and outcome (`completed`, `skipped`, `retrying` or `failed`). Both the
 * BullMQ worker and the in-process runner go through here, so their logs are identical.
 *
 * @param task - The task to run.
 * @param data - The raw job data; validated against the task's schema first.
 * @param deps - Task dependencies.
 * @param meta - Queue, job id and attempt numbers.
 * @param logger - The base logger.
 * @returns The task's result.
 * @throws `UnrecoverableError` for an invalid payload; otherwise whatever the task threw.
 */
export async function runAttempt(
  task: Task,
  data: unknown,
  deps: TaskDependencies,
  meta: AttemptMeta,
  logger: Logger,
): Promise<TaskResult> {
  const log = logger.child({
    queue: meta.queue,
    jobName: task.name,
    jobId: meta.jobId,
    attempt: meta.attempt,
  });
  const started = performance.now();
  const durationMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const payload = parseJobPayload(task.name, task.payload, data);
    const context = {
      logger: log,
      attempt: meta.attempt,
      maxAttempts: meta.maxAttempts,
      signal: meta.signal,
      steps: meta.steps,
    };
    const result = await raceAbort(task.run(payload, deps, context), meta.signal);
    log.info(
      { maxAttempts: meta.maxAttempts, durationMs: durationMs(), outcome: result.outcome, ...result.detail },
      `job ${result.outcome}`,
    );
    return result;
  } catch (caught) {
    // A bad payload stays bad: BullMQ must not retry it.
    const error = caught instanceof InvalidJobPayloadError ? new UnrecoverableError(caught.message) : caught;
    const final = isUnrecoverable(error) || meta.attempt >= meta.maxAttempts;
    const outcome = final ? 'failed' : 'retrying';
    log[final ? 'error' : 'warn'](
      { maxAttempts: meta.maxAttempts, durationMs: durationMs(), outcome, err: describeError(error) },
      `job ${outcome}`,
    );
    throw error;
  }
}

/** Name, code and message of an error, without the stack of a dependency's internals. */
function describeError(error: unknown): { type: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
}
