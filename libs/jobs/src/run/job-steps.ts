import type { Job } from 'bullmq';
import type { JobSteps } from '../tasks/task.js';

/** The shape of a job's `progress` that holds its finished steps. */
interface StepsProgress {
  readonly stepsDone: readonly string[];
}

function isStepsProgress(progress: unknown): progress is StepsProgress {
  return (
    typeof progress === 'object' &&
    progress !== null &&
    Array.isArray((progress as { stepsDone?: unknown }).stepsDone)
  );
}

/**
 * A BullMQ job's finished steps, kept in its `progress` (stored in the job's hash, so they
 * survive a retry, a stalled job taken over by another worker, and a worker restart, and go
 * when the job is removed).
 *
 * @param job - The job being processed.
 * @returns Its steps.
 */
export function jobSteps(job: Pick<Job, 'progress' | 'updateProgress'>): JobSteps {
  const done = new Set<string>(
    isStepsProgress(job.progress) ? job.progress.stepsDone.filter((s) => typeof s === 'string') : [],
  );
  return {
    done,
    async markDone(step) {
      done.add(step);
      // Each write carries every step done so far, so concurrent writes cannot lose one.
      await job.updateProgress({ stepsDone: [...done] });
    },
  };
}
