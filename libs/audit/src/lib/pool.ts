/**
 * The slonik pool the PostgreSQL store expects: result-parser interceptor installed, errors from
 * an unreachable server turned into `AuditDatabaseUnavailableError`.
 */
import { createPool, type ClientConfigurationInput, type DatabasePool } from 'slonik';
import { withAuditErrors } from './database-errors.js';
import { createResultParserInterceptor } from './result-parser-interceptor.js';

/** Options of {@link createAuditPool}. */
export interface AuditPoolOptions {
  /** A PostgreSQL connection URI, usually `process.env.DATABASE_URL`. */
  readonly databaseUrl: string;
  /** Most connections open at once. Default 10. */
  readonly maxPoolSize?: number;
  /** Abort statements running longer than this. Default 10 000 ms. */
  readonly statementTimeoutMs?: number;
  /** Give up connecting after this long. Default 5 000 ms. */
  readonly connectionTimeoutMs?: number;
  /**
   * Errors of idle pooled connections (the server restarted, say). The pool replaces the
   * connection either way; without a listener they are dropped silently. Log them here.
   */
  readonly onError?: (error: Error) => void;
  /** Any other slonik settings; `interceptors` given here run after the result parser. */
  readonly clientConfiguration?: ClientConfigurationInput;
}

/**
 * Creates a slonik pool for the audit store. `createPool` connects eagerly, so an unreachable
 * server fails here, fast.
 *
 * Type mapping: slonik's defaults stay (int8 → BigInt, timestamptz → epoch ms); the store's own
 * queries map counts to `number` and timestamps to ISO strings, so its results are JSON-safe.
 *
 * @param options - See {@link AuditPoolOptions}.
 * @returns A connected pool; call `pool.end()` on shutdown.
 * @throws AuditDatabaseUnavailableError when PostgreSQL cannot be reached.
 * @example
 * ```ts
 * const pool = await createAuditPool({ databaseUrl: process.env.DATABASE_URL! });
 * const store = createPostgresAuditStore({ pool });
 * ```
 */
export async function createAuditPool(options: AuditPoolOptions): Promise<DatabasePool> {
  const extra = options.clientConfiguration ?? {};
  const pool = await withAuditErrors('connecting', () =>
    createPool(options.databaseUrl, {
      maxPoolSize: options.maxPoolSize ?? 10,
      statementTimeout: options.statementTimeoutMs ?? 10_000,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      ...extra,
      interceptors: [createResultParserInterceptor(), ...(extra.interceptors ?? [])],
    }),
  );
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}
