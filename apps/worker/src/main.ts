/**
 * Entry point of the worker process: `node dist/main.js` (`npm start -w @tses/worker`). It checks
 * the Node.js version before loading anything (the worker and its dependencies need Node 24), then
 * runs `process/run-worker-process.ts`.
 */
import { exitOnUnsupportedNode } from '@tses/app-runtime/node-version';

exitOnUnsupportedNode('tses-worker');
const { runWorkerProcess } = await import('./process/run-worker-process.js');
await runWorkerProcess(process.env);
