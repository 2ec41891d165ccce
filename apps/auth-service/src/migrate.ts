import { fileURLToPath } from 'node:url';
import { auditMigrationsDir, runMigrations } from '@tses/audit';
import { exitOnUnsupportedNode } from '@tses/app-runtime/node-version';
import { createLogger } from './logger.js';

/** This service's migrations (`users`), merged into one history with `@tses/audit`'s. */
export const serviceMigrationsDir: string = fileURLToPath(new URL('../migrations', import.meta.url));

// `npm run migrate`: applies every pending migration of @tses/audit and of this service, in one
// node-pg-migrate history (advisory-locked: safe to run twice or from two processes at once).
if (import.meta.url === `file://${process.argv[1]}`) {
  // Its imports load on an old Node; the first database call would fail with a cryptic error.
  exitOnUnsupportedNode('migrate');
  // As in loadConfig: an empty variable is unset.
  const databaseUrl = process.env['DATABASE_URL']?.trim();
  const logger = createLogger({ level: process.env['LOG_LEVEL']?.trim() || 'info', name: 'migrate' });
  if (databaseUrl === undefined || databaseUrl === '') {
    process.stderr.write('DATABASE_URL is required to run migrations.\n');
    process.exit(1);
  }
  try {
    const { applied } = await runMigrations({
      databaseUrl,
      dirs: [auditMigrationsDir, serviceMigrationsDir],
      logger: { info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
    });
    logger.info(
      { applied },
      applied.length === 0 ? 'database is up to date' : `applied ${applied.length} migration(s)`,
    );
  } catch (error) {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'migrations failed');
    process.exitCode = 1;
  }
}
