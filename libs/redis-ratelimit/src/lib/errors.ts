/**
 * Base class of every error this library throws. Denials are return values; these are faults.
 *
 * @example
 * ```ts
 * try {
 *   await limiter.consume('ip:203.0.113.7', rule);
 * } catch (error) {
 *   if (error instanceof RateLimitError) log.warn({ code: error.code }, 'rate limiter unavailable');
 * }
 * ```
 */
export class RateLimitError extends Error {
  /** A stable, machine-readable code (`ERR_RATELIMIT_*`). */
  static code = 'ERR_RATELIMIT';
  /** A stable, machine-readable code (`ERR_RATELIMIT_*`). */
  code = 'ERR_RATELIMIT';

  /**
   * @param message - What went wrong.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    Error.captureStackTrace?.(this, this.constructor);
  }
}

/**
 * Redis could not be reached (not connected, connection lost, cluster down). The call was not sent,
 * or its outcome is unknown; the library never queues it for a later replay.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitUnavailableError) res.status(503);
 * ```
 */
export class RateLimitUnavailableError extends RateLimitError {
  static override code = 'ERR_RATELIMIT_UNAVAILABLE';
  override code = 'ERR_RATELIMIT_UNAVAILABLE';
}

/**
 * The call did not complete within the limiter's `timeoutMs`.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitTimeoutError) metrics.increment('ratelimit.timeout');
 * ```
 */
export class RateLimitTimeoutError extends RateLimitError {
  static override code = 'ERR_RATELIMIT_TIMEOUT';
  override code = 'ERR_RATELIMIT_TIMEOUT';
}

/**
 * Redis answered with an error (for example `WRONGTYPE` when a key holds something else, or
 * `CLUSTERDOWN`).
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitStoreError) log.error({ err: error.cause }, 'redis error reply');
 * ```
 */
export class RateLimitStoreError extends RateLimitError {
  static override code = 'ERR_RATELIMIT_STORE';
  override code = 'ERR_RATELIMIT_STORE';
}

/**
 * Invalid options, rule, policy or key, or an ioredis client configured in a way that could replay
 * a hit. Thrown regardless of the failure mode: it is a programming error, not an outage.
 *
 * @example
 * ```ts
 * new RateLimiter({ redis, failureMode: 'throw' }); // throws RateLimitConfigError if `redis` could replay commands
 * ```
 */
export class RateLimitConfigError extends RateLimitError {
  static override code = 'ERR_RATELIMIT_CONFIG';
  override code = 'ERR_RATELIMIT_CONFIG';
}

/** Maps whatever the store rejected with onto the hierarchy above. */
export function toRateLimitError(error: unknown): RateLimitError {
  if (error instanceof RateLimitError) return error;
  if (error instanceof Error && error.name === 'ReplyError') {
    return new RateLimitStoreError(`Redis replied with an error: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RateLimitUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
}
