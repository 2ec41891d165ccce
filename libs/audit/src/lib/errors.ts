/**
 * One error hierarchy for `@tses/audit` (modelled on jose `src/util/errors.ts`): every fault is an
 * {@link AuditError} with a stable `code`; callers branch on the class or the code, never on messages.
 */

/**
 * Stable, machine-readable codes of the errors this library throws.
 *
 * @example
 * ```ts
 * const transient = (code: AuditErrorCode) => code === 'ERR_AUDIT_DATABASE_UNAVAILABLE';
 * ```
 */
export type AuditErrorCode =
  | 'ERR_AUDIT'
  | 'ERR_AUDIT_VALIDATION'
  | 'ERR_AUDIT_DATABASE_UNAVAILABLE'
  | 'ERR_AUDIT_DATABASE'
  | 'ERR_AUDIT_MIGRATION'
  | 'ERR_AUDIT_CONFIG';

/**
 * Base class of every error thrown by `@tses/audit`.
 *
 * @example
 * ```ts
 * try {
 *   await store.queryPage({ email: 'not an email' });
 * } catch (error) {
 *   if (error instanceof AuditError) console.log(error.code);
 * }
 * ```
 */
export class AuditError extends Error {
  /** A stable, machine-readable identifier of the fault. */
  static code: AuditErrorCode = 'ERR_AUDIT';
  /** A stable, machine-readable identifier of the fault. */
  code: AuditErrorCode = 'ERR_AUDIT';

  /**
   * @param message - A human-readable description.
   * @param options - `cause`: the underlying error, when there is one.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    Error.captureStackTrace?.(this, this.constructor);
  }
}

/** One problem found in an input, with the field it belongs to. */
export interface AuditValidationIssue {
  /** The input field, e.g. `email`, `from`, `page_size`, `cursor`. */
  readonly field: string;
  /** A sentence fit to show to the caller. */
  readonly message: string;
}

/**
 * An input was rejected: a bad filter, page, cursor or event. The service answers 400 with
 * {@link AuditValidationError.field} and {@link AuditValidationError.issues}.
 *
 * @example
 * ```ts
 * try {
 *   parseAuditQuery({ from: 'yesterday' });
 * } catch (error) {
 *   if (error instanceof AuditValidationError) console.log(error.field); // 'from'
 * }
 * ```
 */
export class AuditValidationError extends AuditError {
  static override code: AuditErrorCode = 'ERR_AUDIT_VALIDATION';
  override code: AuditErrorCode = 'ERR_AUDIT_VALIDATION';
  /** The first field at fault. */
  readonly field: string;
  /** Every problem found, first one first (at least one). */
  readonly issues: readonly AuditValidationIssue[];

  /**
   * @param issues - The problems found; the first names {@link AuditValidationError.field}.
   */
  constructor(issues: readonly [AuditValidationIssue, ...AuditValidationIssue[]]) {
    super(`Invalid ${issues[0].field}: ${issues[0].message}`);
    this.field = issues[0].field;
    this.issues = issues;
  }
}

/**
 * PostgreSQL cannot be reached (refused, timed out, shutting down, too many connections).
 * Transient: the service answers 503, the worker retries the job.
 *
 * @example
 * ```ts
 * try {
 *   await createAuditPool({ databaseUrl: 'postgres://127.0.0.1:1/none' });
 * } catch (error) {
 *   if (error instanceof AuditDatabaseUnavailableError) ctx.status = 503;
 * }
 * ```
 */
export class AuditDatabaseUnavailableError extends AuditError {
  static override code: AuditErrorCode = 'ERR_AUDIT_DATABASE_UNAVAILABLE';
  override code: AuditErrorCode = 'ERR_AUDIT_DATABASE_UNAVAILABLE';
}

/**
 * Any other database fault: a missing table (migrations not run), a row that fails its schema,
 * an unexpected SQL error. Not transient; the service answers 500.
 *
 * @example
 * ```ts
 * if (error instanceof AuditDatabaseError) logger.error({ err: error.cause }, 'audit query failed');
 * ```
 */
export class AuditDatabaseError extends AuditError {
  static override code: AuditErrorCode = 'ERR_AUDIT_DATABASE';
  override code: AuditErrorCode = 'ERR_AUDIT_DATABASE';
}

/**
 * Migrations could not be applied (a bad SQL file, an out-of-order history, a failed statement).
 *
 * @example
 * ```ts
 * await runMigrations({ databaseUrl }).catch((error: unknown) => {
 *   if (error instanceof AuditMigrationError) process.exitCode = 1;
 *   throw error;
 * });
 * ```
 */
export class AuditMigrationError extends AuditError {
  static override code: AuditErrorCode = 'ERR_AUDIT_MIGRATION';
  override code: AuditErrorCode = 'ERR_AUDIT_MIGRATION';
}

/**
 * The library was set up wrongly, e.g. a slonik pool without the result-parser interceptor, or an
 * option out of range.
 *
 * @example
 * ```ts
 * createPostgresAuditStore({ pool: poolWithoutInterceptor }); // throws AuditConfigError
 * ```
 */
export class AuditConfigError extends AuditError {
  static override code: AuditErrorCode = 'ERR_AUDIT_CONFIG';
  override code: AuditErrorCode = 'ERR_AUDIT_CONFIG';
}

/**
 * The name of {@link AuditConfigError} before 0.2.0, kept so code written against 0.1.0 still
 * compiles and its `instanceof` checks still hold (it is the same class).
 *
 * @deprecated Use {@link AuditConfigError}, named like every library's configuration error.
 * @example
 * ```ts
 * if (error instanceof AuditConfigError) throw error; // not AuditConfigurationError
 * ```
 */
export const AuditConfigurationError = AuditConfigError;
/** @deprecated Use {@link AuditConfigError}. */
export type AuditConfigurationError = AuditConfigError;

/**
 * Every concrete error class of this library, to narrow on `code` with a `switch`.
 *
 * @example
 * ```ts
 * function status(error: AnyAuditError): number {
 *   switch (error.code) {
 *     case 'ERR_AUDIT_VALIDATION': return 400;
 *     case 'ERR_AUDIT_DATABASE_UNAVAILABLE': return 503;
 *     default: return 500;
 *   }
 * }
 * ```
 */
export type AnyAuditError =
  | AuditValidationError
  | AuditDatabaseUnavailableError
  | AuditDatabaseError
  | AuditMigrationError
  | AuditConfigError;
