/**
 * Settles with `promise`, or rejects with the signal's reason as soon as `signal` aborts.
 * The work behind `promise` is not stopped (tasks receive the signal to stop it themselves);
 * this only stops *waiting* for it, which is what bounds a shutdown.
 *
 * @param promise - The work.
 * @param signal - Aborted when the caller stops waiting.
 * @returns The work's result.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(reason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function reason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

/**
 * Resolves `true` when `promise` settles within `ms`, `false` otherwise; never keeps the
 * process alive after settling.
 *
 * @param promise - What to wait for (its rejection counts as settled).
 * @param ms - The bound.
 * @returns Whether it settled in time.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
