/**
 * Entry point of the worker process: `node dist/main.js` (`npm start -w @tses/worker`).
 * Everything it does is in `process/run-worker-process.ts`.
 */
import { runWorkerProcess } from './process/run-worker-process.js';

await runWorkerProcess(process.env);
