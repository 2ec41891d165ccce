// Bundles a library's declarations into `dist/dts/`: one `.d.ts` per public entry point (and a
// shared chunk when two entries share types), holding exactly what the entry exports. The
// per-file declarations `tsc` writes next to the JavaScript stay out of the package (see the
// library's `files`), so its internals are not part of the published types.
//   node ../../scripts/bundle-dts.mjs index valkey-glide   (from a library's folder, after tsc)
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const lib = process.cwd();
const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('bundle-dts: name the entry points (e.g. index)');
  process.exit(1);
}
const out = resolve(lib, 'dist/dts');
rmSync(out, { recursive: true, force: true });
const bundle = await rollup({
  input: Object.fromEntries(entries.map((name) => [name, resolve(lib, `dist/${name}.d.ts`)])),
  plugins: [dts()],
  onwarn(warning, warn) {
    // Type-only re-exports of the package's own modules are what a bundle resolves; anything
    // else (an unresolved import, a circular chunk) is a real problem.
    warn(warning);
    process.exitCode = 1;
  },
});
await bundle.write({
  dir: out,
  format: 'es',
  entryFileNames: '[name].d.ts',
  chunkFileNames: '[name]-[hash].d.ts',
});
await bundle.close();
