import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Vitest settings every project shares.
 *
 * - `@tses/source` resolves workspace libraries to their TypeScript source (the same condition
 *   as `customConditions` in tsconfig.base.json), so tests never need a build first. Vitest
 *   forwards `ssr.resolve.conditions` to its workers as Node `--conditions`, which then also
 *   apply to CommonJS `require()`: listing `import`/`module`
 *   there makes `pg` load `pg-pool`'s ESM entry ("Class extends value [object Module]"), so only
 *   `node` is added; Vite adds `import`/`require` by itself.
 * - Test files of one project run one after another: they share one Redis and one PostgreSQL,
 *   and timing-sensitive assertions (TTLs, lockouts) must not compete for two CPU cores.
 * - Files reuse their worker (`isolate: false`): every file isolates its state itself (a random
 *   key prefix, queue prefix or schema, clients closed in `afterAll`; no module mocks), so a fresh
 *   process per file only re-imported the same modules (Koa, zod, pino, the clients) each time:
 *   the service's suite ran in 25–38 s isolated and 14–17 s shared on the 2-core machine.
 * - `globalSetup` checks Redis and PostgreSQL are reachable and explains how to start them.
 * - Colour off in the tests' processes and the programs they start: README examples compare what
 *   `console.log` prints, which carries ANSI codes when the runner's environment asks for colour.
 */
export function sharedConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: ['@tses/source', 'node'] },
    ssr: { resolve: { conditions: ['@tses/source', 'node'] } },
    test: {
      environment: 'node',
      env: { FORCE_COLOR: '0', NO_COLOR: '1' },
      fileParallelism: false,
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      globalSetup: [new URL('./scripts/vitest-global-setup.ts', import.meta.url).pathname],
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      ...overrides,
    },
  });
}
