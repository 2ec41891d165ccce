import { HttpProblem } from './problem.js';

/** 503: Redis or PostgreSQL cannot be reached; the client may retry. */
export class ServiceUnavailableProblem extends HttpProblem {
  constructor(cause?: unknown) {
    super({
      slug: 'service-unavailable',
      status: 503,
      title: 'Service unavailable',
      detail: 'A backing service is temporarily unavailable. Please retry shortly.',
      headers: { 'Retry-After': '5' },
      cause,
    });
  }
}

/** 500: anything unexpected. The cause goes to the log, never to the client. */
export class InternalServerProblem extends HttpProblem {
  constructor(cause?: unknown) {
    super({
      slug: 'internal-error',
      status: 500,
      title: 'Internal server error',
      detail: 'An unexpected error occurred.',
      cause,
    });
  }
}
