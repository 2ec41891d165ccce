/**
 * Stable, machine-readable codes of the errors this library throws.
 *
 * @example
 * ```ts
 * const outage = (code: RateLimitErrorCode) => code !== 'ERR_RATELIMIT_CONFIG';
 * ```
 */
export type RateLimitErrorCode =
  | 'ERR_RATELIMIT'
  | 'ERR_RATELIMIT_UNAVAILABLE'
  | 'ERR_RATELIMIT_NOT_SENT'
  | 'ERR_RATELIMIT_TIMEOUT'
  | 'ERR_RATELIMIT_STORE'
  | 'ERR_RATELIMIT_CONFIG'
  | 'ERR_RATELIMIT_KEY';

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
  static code: RateLimitErrorCode = 'ERR_RATELIMIT';
  /** A stable, machine-readable code (`ERR_RATELIMIT_*`). */
  code: RateLimitErrorCode = 'ERR_RATELIMIT';

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
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_UNAVAILABLE';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_UNAVAILABLE';
}

/**
 * A command that was certainly never written to Redis, so it did not run. A client adapter
 * (`RedisScriptClient`) rejects with it when its client refused a command before writing it
 * (not connected, a Cluster node still connecting, the deadline passed while it was queued): the
 * limiter then waits for the connection and sends the call again, within the call's deadline.
 * A caller sees it only as the `cause` of a {@link RateLimitUnavailableError}.
 *
 * @example
 * ```ts
 * if (client.status !== 'ready') throw new RateLimitNotSentError('not connected');
 * ```
 */
export class RateLimitNotSentError extends RateLimitUnavailableError {
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_NOT_SENT';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_NOT_SENT';
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
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_TIMEOUT';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_TIMEOUT';
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
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_STORE';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_STORE';
}

/**
 * Invalid options, rule, policy or key, or a Redis client that is not supported or is configured
 * in a way that could replay a hit (the message names the client and the setting). Thrown
 * regardless of the failure mode: it is a programming error, not an outage.
 *
 * @example
 * ```ts
 * new RateLimiter({ redis, failureMode: 'throw' }); // throws RateLimitConfigError if `redis` could replay commands
 * ```
 */
export class RateLimitConfigError extends RateLimitError {
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_CONFIG';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_CONFIG';
}

/**
 * The HTTP middleware could not name the client of a request: its `key` function threw or returned
 * an empty key, or the framework resolved no usable IP address. Never counted under a shared
 * bucket: the request goes through the middleware's failure mode, this error as its cause.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitKeyError) log.warn({ cause: error.cause }, error.message);
 * ```
 */
export class RateLimitKeyError extends RateLimitError {
  static override code: RateLimitErrorCode = 'ERR_RATELIMIT_KEY';
  override code: RateLimitErrorCode = 'ERR_RATELIMIT_KEY';
}

/**
 * Every concrete error class of this library, to narrow on `code` with a `switch`.
 *
 * @example
 * ```ts
 * function status(error: AnyRateLimitError): number {
 *   return error.code === 'ERR_RATELIMIT_CONFIG' ? 500 : 503;
 * }
 * ```
 */
export type AnyRateLimitError =
  | RateLimitUnavailableError
  | RateLimitNotSentError
  | RateLimitTimeoutError
  | RateLimitStoreError
  | RateLimitConfigError
  | RateLimitKeyError;

// An error reply as every Redis client passes it on: the server's text, which starts with an
// upper-case error code and a space (`ERR …`, `WRONGTYPE …`, `NOSCRIPT …`, `CLUSTERDOWN …`).
// Connection errors never look like that (`Connection is closed.`, `connect ECONNREFUSED …`).
const ERROR_REPLY = /^[A-Z][A-Z0-9_-]+ /;

/** Whether `error` is Redis's answer `NOSCRIPT`: the script is not loaded there, so it did not run. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Maps whatever the store rejected with onto the hierarchy above. Anything but an error reply is an
 * outage here, whatever its cause, so the connection-fault test of `@tses/core` (which tells a
 * network fault from a bug) has nothing to add; the unwritten-command messages each client uses
 * stay in its adapter (`src/clients/`).
 */
export function toRateLimitError(error: unknown): RateLimitError {
  if (error instanceof RateLimitError) return error;
  if (error instanceof Error && ERROR_REPLY.test(error.message)) {
    return new RateLimitStoreError(`Redis replied with an error: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RateLimitUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
}
