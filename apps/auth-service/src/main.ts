/**
 * Entry point of the API: `node dist/main.js` (`npm start`). It checks the Node.js version
 * before loading anything (slonik and zod-openapi need Node 22+ APIs; the apps support 24), then
 * runs `server-main.ts`.
 */
import { exitOnUnsupportedNode } from '@tses/app-runtime/node-version';

exitOnUnsupportedNode('auth-service');
await import('./server-main.js');
