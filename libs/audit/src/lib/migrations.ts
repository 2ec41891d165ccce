/**
 * Applies the audit migrations — and, in the same history, the application's own — with
 * node-pg-migrate: one `pgmigrations` table, one advisory lock, one transaction.
 */
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { isUnavailable } from './database-errors.js';
import { AuditDatabaseUnavailableError, AuditMigrationError } from './errors.js';

/**
 * Absolute path of the SQL migrations shipped with `@tses/audit` (the package's `migrations/`).
 *
 * @example
 * ```ts
 * await runMigrations({ databaseUrl, dirs: [auditMigrationsDir, new URL('../migrations', import.meta.url).pathname] });
 * ```
 */
// src/lib/ and dist/lib/ are both two levels below the package root.
export const auditMigrationsDir: string = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Where migration progress goes (pino's logger fits). Silent when omitted. */
export interface MigrationLogger {
  debug?(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
  /** A PostgreSQL connection URI. */
  readonly databaseUrl: string;
  /** Schema to create (if missing) and migrate; also holds the history table. Default `public`. */
  readonly schema?: string | undefined;
  /**
   * Folders of `.sql` migrations, merged into one history ordered by their numeric (timestamp)
   * prefix. Default `[auditMigrationsDir]`. Names must be unique across folders.
   */
  readonly dirs?: readonly string[] | undefined;
  /** History table. Default `pgmigrations` (node-pg-migrate's). */
  readonly migrationsTable?: string | undefined;
  /**
   * Refuse to run a pending migration older than one already applied (node-pg-migrate's check).
   * Default `true`; see the README on upgrading when the app has newer migrations.
   */
  readonly checkOrder?: boolean | undefined;
  readonly logger?: MigrationLogger | undefined;
}

/** What {@link runMigrations} applied (empty when the database was up to date). */
export interface RunMigrationsResult {
  readonly applied: readonly string[];
}

const SILENT: MigrationLogger = { info() {}, warn() {}, error() {} };

// node-pg-migrate takes several folders only as glob patterns: escape the folder, add `*.sql`.
function sqlGlob(dir: string): string {
  const posix = dir.replaceAll('\\', '/').replace(/\/+$/, '');
  return `${posix.replace(/[*?[\]{}()!+@]/g, '\\$&')}/*.sql`;
}

/**
 * Applies pending migrations. Safe to run twice (applied files are skipped) and from several
 * processes at once: the second waits on node-pg-migrate's advisory lock, then finds nothing to do.
 * All pending files run in one transaction.
 *
 * @param options - See {@link RunMigrationsOptions}.
 * @returns The names of the migrations applied now.
 * @throws AuditDatabaseUnavailableError when PostgreSQL cannot be reached; AuditMigrationError otherwise.
 * @example
 * ```ts
 * import { auditMigrationsDir, runMigrations } from '@tses/audit';
 *
 * const { applied } = await runMigrations({
 *   databaseUrl: process.env.DATABASE_URL!,
 *   dirs: [auditMigrationsDir, './migrations'],
 * });
 * ```
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<RunMigrationsResult> {
  const dirs = options.dirs ?? [auditMigrationsDir];
  try {
    const applied = await runner({
      databaseUrl: options.databaseUrl,
      dir: dirs.map(sqlGlob),
      useGlob: true,
      direction: 'up',
      migrationsTable: options.migrationsTable ?? 'pgmigrations',
      ...(options.schema === undefined ? {} : { schema: options.schema, createSchema: true }),
      checkOrder: options.checkOrder ?? true,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      logger: options.logger ?? SILENT,
    });
    return { applied: applied.map((m) => m.name) };
  } catch (error) {
    if (isUnavailable(error)) {
      throw new AuditDatabaseUnavailableError('PostgreSQL is unavailable (running migrations).', {
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuditMigrationError(`Migrations failed: ${reason}`, { cause: error });
  }
}
