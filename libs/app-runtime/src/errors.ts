/**
 * The one error hierarchy of `@tses/app-runtime`, on the recipe of every `@tses` package: a stable
 * `code` (static and on the instance), `name`, `cause`, and {@link AnyAppError} to switch on.
 */

/**
 * Stable, machine-readable error codes.
 *
 * @example
 * ```ts
 * const isConfig = (code: AppErrorCode) => code === 'ERR_APP_CONFIG';
 * ```
 */
export type AppErrorCode = 'ERR_APP' | 'ERR_APP_CONFIG';

/**
 * Base class of every error `@tses/app-runtime` throws. Match on `code`, not on `message`.
 *
 * @example
 * ```ts
 * if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
 * ```
 */
export class AppError extends Error {
  /** A stable, machine-readable code. */
  static code: AppErrorCode = 'ERR_APP';
  /** A stable, machine-readable code. */
  code: AppErrorCode = 'ERR_APP';

  /**
   * @param message - What went wrong, for the operator (never shown to end users).
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    Error.captureStackTrace?.(this, this.constructor);
  }
}

/**
 * The environment is missing a variable or holds an invalid one: thrown by `loadEnv` at start-up,
 * so a misconfigured process never runs. `problems` names each variable, `NAME: why`, and never
 * repeats a value (it may be a secret).
 *
 * @example
 * ```ts
 * try {
 *   loadEnv(schema, process.env);
 * } catch (error) {
 *   if (error instanceof AppConfigError) console.error(error.problems.join('\n'));
 * }
 * ```
 */
export class AppConfigError extends AppError {
  static override code: AppErrorCode = 'ERR_APP_CONFIG';
  override code: AppErrorCode = 'ERR_APP_CONFIG';
  /** One line per offending variable: `NAME: why`. */
  readonly problems: readonly string[];

  /**
   * @param problems - One line per missing or invalid variable.
   */
  constructor(problems: readonly string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/**
 * Every concrete error class of this package, to narrow on `code` with a `switch`.
 *
 * @example
 * ```ts
 * function exitCode(error: AnyAppError): number {
 *   return error.code === 'ERR_APP_CONFIG' ? 78 : 1;
 * }
 * ```
 */
export type AnyAppError = AppConfigError;
