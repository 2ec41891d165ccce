import { STATUS_CODES } from 'node:http';
import { isDependencyUnavailable, type UnavailablePredicate } from './dependency-errors.js';
import { HttpProblem } from './problem.js';
import {
  MalformedJsonProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
} from './request-problems.js';
import { InternalServerProblem, ServiceUnavailableProblem } from './server-problems.js';

/** The body-parser limit, for the 413 detail. */
export interface ToProblemOptions {
  readonly bodyLimitBytes: number;
  readonly unavailable?: readonly UnavailablePredicate[];
}

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
}

/**
 * Turns anything a handler threw into a client-safe problem. Known HTTP errors keep their status
 * with a generic detail; backing-service failures become 503; everything else becomes 500. The
 * original error's message never reaches the problem body.
 *
 * @param error - The thrown value.
 * @param options - The body limit (for 413) and extra "unavailable" predicates.
 * @returns An {@link HttpProblem}.
 */
export function toProblem(error: unknown, options: ToProblemOptions): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (isDependencyUnavailable(error, options.unavailable)) return new ServiceUnavailableProblem(error);
  if (!(error instanceof Error)) return new InternalServerProblem(error);

  const like = error as HttpErrorLike;
  const status = typeof like.status === 'number' ? like.status : like.statusCode;
  // raw-body / co-body (inside koa-body) tag their errors with `type`.
  const type = typeof like.type === 'string' ? like.type : '';
  if (type === 'entity.too.large' || status === 413)
    return new PayloadTooLargeProblem(options.bodyLimitBytes, error);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported' || status === 415) {
    return new UnsupportedMediaTypeProblem();
  }
  if (error instanceof SyntaxError || type === 'entity.parse.failed' || type === 'request.size.invalid') {
    return new MalformedJsonProblem(error);
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && like.expose === true) {
    const title = STATUS_CODES[status] ?? 'Client error';
    return new HttpProblem({ slug: 'client-error', status, title, detail: `${title}.`, cause: error });
  }
  return new InternalServerProblem(error);
}
