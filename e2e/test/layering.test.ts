/**
 * The layering of the packages is a lint rule, so CI fails on a violation: apps import libraries,
 * never another app; each library only the libraries below it; no import cycle between projects
 * (`@nx/enforce-module-boundaries`, on the tags in each package.json) or inside one
 * (`tses/no-import-cycles`). Checked here with deliberate violations, through the repository's
 * own ESLint configuration.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { noImportCycles } from '../../scripts/eslint/no-import-cycles.mjs';
import { ROOT } from './support/workspace.js';

describe('@nx/enforce-module-boundaries with the repository configuration', () => {
  const eslint = new ESLint({ cwd: ROOT });

  /** The boundary problems of `code` as if it stood at `file` (relative to the root). */
  async function boundaryProblems(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result!.messages
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.fatal)
      .map((m) => m.message);
  }

  it.each([
    ['an app imports another app', 'apps/auth-service/src/wrong.ts', '@tses/worker'],
    ['a library imports an app', 'libs/jobs/src/wrong.ts', '@tses/auth-service'],
    ['@tses/core imports a library above it', 'libs/core/src/wrong.ts', '@tses/otp'],
    ['@tses/audit imports @tses/otp', 'libs/audit/src/wrong.ts', '@tses/otp'],
    ['@tses/redis-ratelimit imports @tses/otp (a cycle)', 'libs/redis-ratelimit/src/wrong.ts', '@tses/otp'],
    ['@tses/app-runtime imports @tses/jobs', 'libs/app-runtime/src/wrong.ts', '@tses/jobs'],
  ])('fails when %s', async (_, file, target) => {
    const problems = await boundaryProblems(file, `import * as x from '${target}';\nexport { x };\n`);
    expect(problems.length, problems.join('\n')).toBe(1);
    expect(problems[0]).toMatch(/tagged with|circular dependency/i);
  });

  it.each([
    [
      'an app imports libraries',
      'apps/worker/src/fine.ts',
      ['@tses/jobs', '@tses/app-runtime', '@tses/audit'],
    ],
    [
      '@tses/otp imports the limiter and core',
      'libs/otp/src/fine.ts',
      ['@tses/redis-ratelimit', '@tses/core'],
    ],
    [
      '@tses/jobs imports audit, app-runtime, core',
      'libs/jobs/src/fine.ts',
      ['@tses/audit', '@tses/app-runtime', '@tses/core'],
    ],
  ])('passes when %s', async (_, file, targets) => {
    const code = targets.map((t, i) => `import * as x${i} from '${t}';\nexport { x${i} };\n`).join('');
    expect(await boundaryProblems(file, code)).toEqual([]);
  });
});

describe('tses/no-import-cycles', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'tses-cycles-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const src = path.join(work, 'libs', 'demo', 'src');
  mkdirSync(path.join(src, 'lib'), { recursive: true });
  const files: Record<string, string> = {
    'index.ts': "export { a } from './lib/a.js';\n",
    'lib/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
    'lib/b.ts': "import type { C } from './c.js';\nexport const b = (): C => 1;\n",
    'lib/c.ts': "import { a } from './a.js';\nexport type C = ReturnType<typeof a> | 1;\n",
    'lib/free.ts': "import { a } from './a.js';\nexport const free = a;\n",
  };
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(src, name), code);
  const linter = new Linter({ configType: 'flat', cwd: work });
  const lint = (name: string) =>
    linter
      .verify(
        files[name]!,
        [
          {
            files: ['**/*.ts'],
            plugins: { tses: { rules: { 'no-import-cycles': noImportCycles } } },
            rules: { 'tses/no-import-cycles': 'error' },
          },
        ],
        { filename: path.join(src, name) },
      )
      .map((m) => m.message);

  it('reports each module on a cycle (type-only imports count), with the cycle', () => {
    expect(lint('lib/a.ts')).toEqual([
      'Import cycle: lib/a.ts → lib/b.ts → lib/c.ts → lib/a.ts. Move what both need into a module of its own.',
    ]);
    expect(lint('lib/c.ts')).toHaveLength(1);
  });

  it('leaves modules that only import into a cycle alone', () => {
    expect(lint('index.ts')).toEqual([]);
    expect(lint('lib/free.ts')).toEqual([]);
  });
});
