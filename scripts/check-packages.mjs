// Packs each published library (as `npm publish` would, from its built `dist/`) and checks the
// tarball: @arethetypeswrong/cli with the ESM-only profile (types resolve for every entry point
// under node16/nodenext and bundlers) and publint --strict (the package.json fields and files).
// Run after the build (`nx run-many -t build`); exits non-zero on any problem.
//   node scripts/check-packages.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIBRARIES = ['libs/core', 'libs/redis-ratelimit', 'libs/otp', 'libs/audit'];
const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
const publint = join(root, 'node_modules/publint/src/cli.js');

const work = mkdtempSync(join(tmpdir(), 'tses-packages-'));
let failed = false;
try {
  for (const lib of LIBRARIES) {
    const into = join(work, lib.replace('/', '-'));
    execFileSync('mkdir', ['-p', into]);
    // The build already ran; --ignore-scripts keeps `prepack` from building again.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', into], {
      cwd: join(root, lib),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = join(
      into,
      readdirSync(into).find((f) => f.endsWith('.tgz')),
    );
    for (const [tool, args] of [
      ['attw', [attw, tarball, '--profile', 'esm-only', '--format', 'table-flipped']],
      ['publint', [publint, '--strict', tarball]],
    ]) {
      try {
        const out = execFileSync(process.execPath, args, {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        console.log(`${lib} · ${tool}: ok`);
        if (tool === 'publint' && /warning|suggestion/i.test(out)) {
          console.log(out);
          failed = true;
        }
      } catch (error) {
        failed = true;
        console.error(`${lib} · ${tool}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
