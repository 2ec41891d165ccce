// One linter for the whole monorepo. typescript-eslint's type-aware rules are left
// out on purpose: they need a full program per project and double lint time; tsc
// (the `typecheck` target) already enforces the strict compiler settings.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Libraries take an injected logger and the apps log through pino; only scripts, tests and
    // benchmarks may print (the worker's console email transport disables it with a reason).
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
