/**
 * RFC 9457 problem details: the one error type every failure becomes before it reaches a client.
 */

/** Base of every problem `type` URI (RFC 9457 §3.1.1 recommends absolute URIs). */
export const PROBLEM_TYPE_BASE = 'https://tses.dev/problems/';

/** The media type of every error response (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The JSON body of a problem response: the standard members plus this service's extensions. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly request_id?: string;
  readonly [extension: string]: unknown;
}

/** What a subclass passes to {@link HttpProblem}. */
export interface HttpProblemInit {
  /** Last segment of the `type` URI, e.g. `rate-limited`. */
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  /** Human-readable, safe to show the client: never an internal message. */
  readonly detail: string;
  /** Extension members (RFC 9457 §3.2), snake_case. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Response header fields that belong to this problem (`Retry-After`, `WWW-Authenticate`, `Allow`). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whose fault it is, which decides how it is logged: `client` (below error level, no stack) or
   * `server` (error level, with the cause). Default: `client` below 500, `server` from 500 on; a
   * 501 for a method or coding the client chose is the client's.
   */
  readonly fault?: ProblemFault;
  readonly cause?: unknown;
}

/** Who caused a problem: the client (bad input) or the server (a bug, a dependency down). */
export type ProblemFault = 'client' | 'server';

/**
 * An error that is already a client-safe problem response. Throw a subclass; the error handler
 * renders it.
 *
 * @example
 * ```ts
 * throw new NotFoundProblem();
 * ```
 */
export class HttpProblem extends Error {
  override name = this.constructor.name;
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly fault: ProblemFault;
  /** Marks the message as safe for the client, in Koa's vocabulary. */
  readonly expose = true;

  constructor(init: HttpProblemInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.type = `${PROBLEM_TYPE_BASE}${init.slug}`;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
    this.fault = init.fault ?? (init.status >= 500 ? 'server' : 'client');
  }

  /**
   * Renders the body of this problem.
   *
   * @param context - Request-specific members: the path (`instance`) and the request id.
   * @returns The RFC 9457 JSON body.
   */
  toBody(context: { instance?: string; requestId?: string } = {}): ProblemBody {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(context.instance === undefined ? {} : { instance: context.instance }),
      ...(context.requestId === undefined ? {} : { request_id: context.requestId }),
      ...this.extensions,
    };
  }
}
