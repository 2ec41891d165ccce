// Copies src/commands/**/*.lua to dist/commands/ after `tsc`: the script loader reads them
// relative to its own file, in src/ and in dist/ alike.
import { cpSync, rmSync } from 'node:fs';

const from = new URL('../src/commands/', import.meta.url);
const to = new URL('../dist/commands/', import.meta.url);
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true, filter: (src) => !/\.[^/]+$/.test(src) || src.endsWith('.lua') });
