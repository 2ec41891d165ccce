/**
 * The apps refuse an unsupported Node.js with one clear line: the built entry points (what
 * `npm start` and the containers run) are started with this machine's own old Node (Debian's
 * /usr/bin/node, 20 on CI) and must exit 1 at once, naming the version needed and how to get it,
 * instead of starting half-working (slonik needs Node 22+ APIs; the API used to answer 202 with
 * only /readyz saying PostgreSQL was "down").
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, readPackageJson, ROOT, scriptArgv } from './support/workspace.js';

const OLD_NODE = '/usr/bin/node';
const oldMajor = existsSync(OLD_NODE)
  ? Number(execFileSync(OLD_NODE, ['-p', 'process.versions.node.split(".")[0]']).toString().trim())
  : undefined;
const usable = oldMajor !== undefined && oldMajor < 24;

function run(
  appDir: string,
  script: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [, entry] = scriptArgv(appDir, script);
  const child = spawn(OLD_NODE, [entry!], {
    cwd: path.join(ROOT, appDir),
    // A full-mode environment: without the check the API would try to start for real.
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe.skipIf(!usable)(`on an unsupported Node.js (${OLD_NODE}, v${oldMajor ?? '?'})`, () => {
  const entries = [
    { name: 'api', appDir: APPS.api, script: 'start' },
    { name: 'migrations', appDir: APPS.api, script: 'migrate' },
    { name: 'worker', appDir: APPS.worker, script: 'start' },
  ];
  for (const { name, appDir, script } of entries) {
    it(`${name} (npm run ${script}): exits 1 with one line naming Node.js 24 and how to get it`, async () => {
      const { code, stdout, stderr } = await run(appDir, script);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`needs Node\\.js 24 or later; this is Node\\.js v${oldMajor}\\.`));
      expect(lines[0]).toMatch(/nvm install 24/);
    });
  }
});

it('the version the entry points require is the one both apps declare in engines', () => {
  for (const appDir of Object.values(APPS)) {
    const engines = (readPackageJson(appDir) as { engines?: { node?: string } }).engines;
    expect(engines?.node, appDir).toBe('>=24');
  }
  if (!usable)
    console.warn(`[e2e] ${OLD_NODE} is missing or not older than 24: the refusal itself was not run`);
});
