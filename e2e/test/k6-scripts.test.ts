/**
 * The k6 scripts' syntax stays within what k6's parsers accept: ECMAScript 2017 (k6 v0.48, for
 * one, refuses ES2019's optional catch binding `catch {`). No k6 binary exists in CI, so ESLint's
 * parser, pinned to that edition, reads every script the way an old k6 would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { expect, it } from 'vitest';
import { ROOT } from './support/workspace.js';

const K6_SYNTAX = 2017;

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') return scripts(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

it(`every load-test script parses as ECMAScript ${K6_SYNTAX}`, () => {
  const files = scripts(path.join(ROOT, 'load-tests'));
  expect(files.length).toBeGreaterThanOrEqual(8);
  const linter = new Linter();
  const errors = files.flatMap((file) =>
    linter
      .verify(readFileSync(file, 'utf8'), [
        { languageOptions: { ecmaVersion: K6_SYNTAX, sourceType: 'module' } },
      ])
      .filter((message) => message.fatal === true)
      .map((message) => `${path.relative(ROOT, file)}:${message.line} ${message.message}`),
  );
  expect(errors).toEqual([]);
});

it('the load-test README claims no more than that', () => {
  const readme = readFileSync(path.join(ROOT, 'load-tests/README.md'), 'utf8');
  expect(readme).not.toMatch(/any k6 from v0\.4x/);
  expect(readme).toMatch(/ECMAScript 2017/);
});
