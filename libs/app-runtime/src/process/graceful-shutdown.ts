import type { Logger } from 'pino';

/** Options of {@link installGracefulShutdown}. */
export interface GracefulShutdownOptions {
  readonly logger: Logger;
  /**
   * Stops the app's work and releases what it holds, in order: for the API, stop accepting
   * connections and let requests finish, then the job publisher, Redis, the pool; for the worker,
   * drain the in-flight jobs, then the transport and the pool.
   */
  readonly close: () => Promise<void>;
  /**
   * Upper bound on `close()`, in milliseconds; past it the process exits 1 without waiting.
   * Default: none beyond `close()`'s own bounds.
   */
  readonly timeoutMs?: number;
  /** Default `SIGTERM` and `SIGINT`. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * The shutdown of both apps: on the first signal, log it, run `close()` (bounded by `timeoutMs`),
 * log `bye`, flush the log and exit 0; exit 1 when `close()` fails or overruns. A second signal
 * exits 1 at once, for an operator who will not wait.
 *
 * @param options - Logger, `close`, bound, signals.
 * @example
 * ```ts
 * installGracefulShutdown({ logger, timeoutMs: 10_000, close: () => runtime.close() });
 * ```
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): void {
  const { logger } = options;
  // pino writes to stdout asynchronously: exit once what is buffered is written, in order, or
  // after a second at most should the stream never drain.
  const exit = (code: number): void => {
    setTimeout(() => process.exit(code), 1_000).unref();
    logger.flush(() => process.exit(code));
  };
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down gracefully');
    if (options.timeoutMs !== undefined) {
      setTimeout(() => {
        logger.error({ timeout_ms: options.timeoutMs }, 'shutdown timed out: exiting');
        exit(1);
      }, options.timeoutMs).unref();
    }
    try {
      await options.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      exit(1);
      return;
    }
    logger.info('bye');
    exit(0);
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, (s) => void shutdown(s));
}
