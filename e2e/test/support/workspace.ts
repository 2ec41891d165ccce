import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this file is e2e/test/support/workspace.ts). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads a file relative to the repository root. */
export function readRepoFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

interface PackageJson {
  readonly name: string;
  readonly workspaces?: readonly string[];
  readonly scripts?: Readonly<Record<string, string>>;
}

/** `package.json` of a folder relative to the root (`''` for the root itself). */
export function readPackageJson(relativeDir: string): PackageJson {
  return JSON.parse(readRepoFile(path.join(relativeDir, 'package.json'))) as PackageJson;
}

/** The apps whose scripts the deployment runs, by workspace folder. */
export const APPS = {
  api: 'apps/auth-service',
  worker: 'apps/worker',
} as const;

/**
 * An npm script as an argv array, e.g. `start: "node dist/main.js"` → `['node', 'dist/main.js']`.
 * Only plain `node <file> [args]` scripts are accepted: they are what a container runs in exec form
 * (no shell, so node receives SIGTERM), and what the tests spawn.
 *
 * @throws when the script is missing or is not a plain node command.
 */
export function scriptArgv(appDir: string, script: string): string[] {
  const pkg = readPackageJson(appDir);
  const command = pkg.scripts?.[script];
  if (command === undefined) throw new Error(`${appDir}/package.json has no "${script}" script`);
  const argv = command.trim().split(/\s+/);
  if (argv[0] !== 'node' || /[|&;<>()$`"'\\]/.test(command)) {
    throw new Error(`${appDir} "${script}" must be a plain "node <file>" command, got: ${command}`);
  }
  return argv;
}

/** The files a script runs (`node dist/main.js` → `<root>/<appDir>/dist/main.js`). */
export function scriptEntry(appDir: string, script: string): string {
  const file = scriptArgv(appDir, script).find((arg, i) => i > 0 && !arg.startsWith('-'));
  if (file === undefined) throw new Error(`${appDir} "${script}" names no file`);
  return path.join(ROOT, appDir, file);
}

/** Workspace folders, with the root package.json's globs (`libs/*`) expanded. */
export function workspaceDirs(): string[] {
  const globs = readPackageJson('').workspaces ?? [];
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return existsSync(path.join(ROOT, glob, 'package.json')) ? [glob] : [];
    const parent = glob.slice(0, -2);
    return readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(path.join(ROOT, parent, entry.name, 'package.json')),
      )
      .map((entry) => `${parent}/${entry.name}`);
  });
}
