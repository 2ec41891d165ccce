// The one Lua build step of the libraries: copies `<lib>/src/commands/**/*.lua` to
// `<lib>/dist/commands/` after `tsc`, because each library reads its scripts relative to its own
// compiled module (`new URL('../commands/', import.meta.url)`), in `src/` and in `dist/` alike.
//   node ../../scripts/copy-lua.mjs        (from a library's folder, as its `build` script does)
//   node scripts/copy-lua.mjs libs/otp     (from anywhere, naming the library's folder)
import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const lib = resolve(process.argv[2] ?? process.cwd());
const from = resolve(lib, 'src/commands');
const to = resolve(lib, 'dist/commands');
if (!existsSync(from)) {
  console.error(`copy-lua: no ${from}`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.lua') });
