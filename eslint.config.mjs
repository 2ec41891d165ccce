// One linter for the whole monorepo. typescript-eslint's type-aware rules are left
// out on purpose: they need a full program per project and double lint time; tsc
// (the `typecheck` target) already enforces the strict compiler settings.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { noImportCycles } from './scripts/eslint/no-import-cycles.mjs';

/**
 * Which projects a project may import, by the tags in each package.json (`nx.tags`): apps import
 * libraries, never another app; each library only the libraries below it. A project with no rule
 * here may import no project at all.
 */
export const LAYERS = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:lib'] },
  { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:limiter', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:otp', onlyDependOnLibsWithTags: ['layer:core', 'layer:limiter'] },
  { sourceTag: 'layer:audit', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:app-runtime', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:jobs', onlyDependOnLibsWithTags: ['layer:core', 'layer:audit', 'layer:app-runtime'] },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/out-tsc/**',
      '**/.nx/**',
      '.tools/**',
      'tmp/**',
      '**/coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The layering above, and no cycle between projects (Nx's rule) or inside one (ours).
    files: ['**/*.ts', '**/*.mts', '**/*.mjs', '**/*.js'],
    plugins: { '@nx': nx, tses: { rules: { 'no-import-cycles': noImportCycles } } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // A library's tests import it by its published name, the surface its users see.
          allowCircularSelfDependency: true,
          // The repository's own tooling, outside every project: tests, benchmarks and configs
          // reach it by a relative path (the sources may not, below).
          allow: ['^(\\.\\./)+scripts/', '^(\\.\\./)+vitest\\.shared\\.ts$'],
          depConstraints: LAYERS,
        },
      ],
      'tses/no-import-cycles': 'error',
    },
  },
  {
    // Libraries take an injected logger and the apps log through pino; only scripts, tests and
    // benchmarks may print (the worker's console email transport disables it with a reason).
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    rules: {
      'no-console': 'error',
      // What ships never reaches into the repository's test and build tooling.
      'no-restricted-imports': ['error', { patterns: ['**/scripts/**', '**/vitest.shared*'] }],
    },
  },
);
