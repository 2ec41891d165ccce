// The pack-and-install step of the libraries' packaging tests: build and pack a library as
// `npm publish` would, install tarballs into a fresh project outside the monorepo (where Node
// cannot fall back on the workspace's node_modules and hide a missing dependency), type-check a
// strict consumer there, and run publint on what would be published.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/** The monorepo root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

/** Runs npm in `cwd`, quietly, and returns its stdout. */
export function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
    timeout: 240_000,
  });
}

/**
 * Builds a library with its own `build` script (JavaScript, Lua scripts, bundled types), then
 * packs it into `into` without running the build again.
 */
export function packLibrary(libDir, into) {
  mkdirSync(into, { recursive: true });
  npm(['run', 'build', '--silent'], libDir);
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', into], libDir);
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: join(into, info.filename), files: info.files.map((file) => file.path) };
}

/** `npm install`s `specs` (tarballs, registry packages) into a project. */
export function npmInstall(dir, specs) {
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

/** A new ESM project at `dir` with `specs` installed and `files` written into it. */
export function freshProject(dir, specs, files = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  npmInstall(dir, specs);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** A strict consumer's compiler settings: the monorepo's own strictness, no skipLibCheck. */
export const STRICT_CONSUMER_OPTIONS = {
  target: 'es2024',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  types: ['node'],
  strict: true,
  skipLibCheck: false,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
};

/**
 * Type-checks a project (its `tsconfig.json`, written first when `compilerOptions` is given) and
 * resolves with the error lines, less those inside `node_modules/<ignore>/` for each package named.
 * Asynchronous, so several consumers can be checked at once.
 */
export function typeErrors(dir, { compilerOptions, include = ['*.ts'], ignore = [] } = {}) {
  if (compilerOptions !== undefined) {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include }));
  }
  const child = spawn(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: dir });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      const errors = output.split('\n').filter((line) => /\berror TS\d+/.test(line));
      // A failure that printed no diagnostic (tsc itself failed) is reported as it is.
      if (status !== 0 && errors.length === 0) return resolve([output.trim() || `tsc exited ${status}`]);
      resolve(errors.filter((line) => !ignore.some((name) => line.startsWith(`node_modules/${name}/`))));
    });
  });
}

/** publint --strict on a tarball itself (what would be published, not the working tree). */
export async function publintProblems(tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  return messages
    .filter((message) => message.type !== 'suggestion')
    .map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`);
}
