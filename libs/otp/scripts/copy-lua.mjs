// Copies the Lua scripts next to the compiled JavaScript: dist/lib/lua-commands.js reads
// ../commands/*.lua relative to its own URL, as src/lib/lua-commands.ts does in the monorepo.
import { cpSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/commands/', import.meta.url));
const to = fileURLToPath(new URL('../dist/commands/', import.meta.url));
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.lua') });
