// The packed tarball installs into a fresh project outside the monorepo; there every TypeScript
// example of the README compiles in a strict project against the published types and runs as
// written (Node strips the types), printing exactly the output the README shows under it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshProject,
  packLibrary,
  publintProblems,
  STRICT_CONSUMER_OPTIONS,
  typeErrors,
} from '../../../scripts/test-support/packaging.mjs';
import { readmeExamples } from '../../../scripts/test-support/readme.mjs';

const libDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(libDir, 'README.md'), 'utf8');
const examples = readmeExamples(readme);
// The ```text block right after each ```ts block: what the example prints.
const outputs = [...readme.matchAll(/^```ts\n[\s\S]*?^```\n\n```text\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

describe('packaging', () => {
  const work = mkdtempSync(join(tmpdir(), 'tses-core-pack-'));
  let packed: { tarball: string; files: string[] };
  let app: string;
  beforeAll(() => {
    packed = packLibrary(libDir, join(work, 'tarballs'));
    app = freshProject(
      join(work, 'app'),
      [packed.tarball, '@types/node@24'],
      Object.fromEntries(examples.map((example, i) => [`example-${i}.ts`, example.code])),
    );
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships the JavaScript, one bundled declaration file, the README, the licence; publint passes', async () => {
    expect(packed.files.sort()).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/dts/index.d.ts',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
      ]),
    );
    expect(packed.files.filter((f) => /^(src|test)\/|tsbuildinfo|^dist\/[^/]+\.d\.ts$/.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@tses/core/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(await publintProblems(packed.tarball)).toEqual([]);
  });

  it('the README examples compile in a strict project and print what the README shows', async () => {
    expect(examples.map((e) => e.heading)).toEqual([
      'Email addresses',
      'Client IPs',
      "A TTL map on Redis's clock",
      'Is the backend down?',
    ]);
    expect(outputs).toHaveLength(examples.length);
    expect(await typeErrors(app, { compilerOptions: STRICT_CONSUMER_OPTIONS })).toEqual([]);
    examples.forEach((_, i) => {
      const printed = execFileSync(process.execPath, [`example-${i}.ts`], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      expect(printed, examples[i]!.heading).toBe(outputs[i]);
    });
  });
});
