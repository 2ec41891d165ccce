/**
 * `@tses/worker`: the worker process, wiring only. The jobs themselves (tasks, transports,
 * publishers, the BullMQ runner) are `@tses/jobs`; what it shares with the API at run time
 * (environment loading, the safe logger, graceful shutdown) is `@tses/app-runtime`.
 *
 * @packageDocumentation
 */
export { loadWorkerConfig } from './config.js';
export type { WorkerConfig } from './config.js';
export { createWorkerLogger, WORKER_LOG_NAME } from './logger.js';
export { runWorkerProcess } from './process/run-worker-process.js';
