import { createSafeLogger, type SafeLoggerOptions } from '@tses/app-runtime';
import type { Logger } from 'pino';

/** The `name` of every line the worker logs. */
export const WORKER_LOG_NAME = 'tses-worker';

/**
 * The worker's logger: the apps' safe pino logger under the worker's name, one JSON line per job
 * attempt (pretty-printed in development when `pino-pretty` is installed).
 *
 * @param options - Level, pretty flag, destination.
 * @returns The logger.
 * @example
 * ```ts
 * const logger = createWorkerLogger({ level: 'info', pretty: process.env.NODE_ENV === 'development' });
 * ```
 */
export function createWorkerLogger(options: Omit<SafeLoggerOptions, 'name'>): Logger {
  return createSafeLogger({ ...options, name: WORKER_LOG_NAME });
}
