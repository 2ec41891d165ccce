import { HttpProblem } from './problem.js';

/** Where an invalid value was found. */
export type FieldLocation = 'body' | 'query' | 'header';

/** One per-field error of a {@link ValidationProblem}. */
export interface FieldError {
  readonly in: FieldLocation;
  /** Dotted path of the field inside its location (`email`, `items.0.name`); empty for the whole value. */
  readonly field: string;
  readonly message: string;
}

/** 400: the request is well-formed JSON but does not match the operation's schema. */
export class ValidationProblem extends HttpProblem {
  readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[]) {
    super({
      slug: 'validation-error',
      status: 400,
      title: 'Invalid request',
      detail: `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`,
      extensions: { errors },
    });
    this.errors = errors;
  }
}

/** 400: the body is not parseable JSON. The parser's own message is never echoed. */
export class MalformedJsonProblem extends HttpProblem {
  constructor(cause?: unknown) {
    super({
      slug: 'malformed-json',
      status: 400,
      title: 'Malformed JSON',
      detail: 'The request body is not a valid JSON object.',
      cause,
    });
  }
}

/** 413: the body is larger than the limit. */
export class PayloadTooLargeProblem extends HttpProblem {
  constructor(limitBytes: number, cause?: unknown) {
    super({
      slug: 'payload-too-large',
      status: 413,
      title: 'Payload too large',
      detail: `The request body must not exceed ${limitBytes} bytes.`,
      extensions: { limit_bytes: limitBytes },
      cause,
    });
  }
}

/** 415: a body was sent with a media type other than JSON. */
export class UnsupportedMediaTypeProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'unsupported-media-type',
      status: 415,
      title: 'Unsupported media type',
      detail: 'The request body must be sent as application/json.',
      headers: { 'Accept-Post': 'application/json' },
    });
  }
}

/** 404: no route matches the path. */
export class NotFoundProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'not-found',
      status: 404,
      title: 'Not found',
      detail: 'No resource exists at this path.',
    });
  }
}

/** 405: the path exists but not for this method; `Allow` lists the methods that do (RFC 9110 §15.5.6). */
export class MethodNotAllowedProblem extends HttpProblem {
  constructor(allow: string) {
    super({
      slug: 'method-not-allowed',
      status: 405,
      title: 'Method not allowed',
      detail: `This resource supports: ${allow}.`,
      headers: { Allow: allow },
    });
  }
}

/** 501: the method is not one the server implements at all (the client's choice, so its fault). */
export class NotImplementedProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'not-implemented',
      status: 501,
      title: 'Not implemented',
      detail: 'The server does not support this request method.',
      fault: 'client',
    });
  }
}

/**
 * 415 for a body in a content coding the server does not decode (gzip, deflate, br, …):
 * `Accept-Encoding: identity` says which coding would have been accepted (RFC 9110 §15.5.16).
 */
export class UnsupportedContentEncodingProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'unsupported-content-encoding',
      status: 415,
      title: 'Unsupported content encoding',
      detail: 'The request body must not be compressed: send it without Content-Encoding (identity).',
      headers: { 'Accept-Encoding': 'identity' },
    });
  }
}

/**
 * 501 for a transfer coding other than `chunked` (RFC 9112 §6.1: a server that receives one it
 * does not understand ought to answer 501). Refused instead of silently passed through undecoded.
 */
export class UnsupportedTransferCodingProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'unsupported-transfer-coding',
      status: 501,
      title: 'Not implemented',
      detail: 'The only transfer coding this server implements is chunked.',
      fault: 'client',
    });
  }
}

/** 400 for a request the HTTP parser rejected (malformed framing, headers or chunk sizes). */
export class BadRequestProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'bad-request',
      status: 400,
      title: 'Bad request',
      detail: 'The request is not valid HTTP/1.1.',
    });
  }
}

/** 408: the request did not arrive in time (headers or body); the connection is closed. */
export class RequestTimeoutProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'request-timeout',
      status: 408,
      title: 'Request timeout',
      detail: 'The request took too long to arrive.',
    });
  }
}

/** 431: the request's header section is larger than the server accepts. */
export class HeaderFieldsTooLargeProblem extends HttpProblem {
  constructor() {
    super({
      slug: 'header-fields-too-large',
      status: 431,
      title: 'Request header fields too large',
      detail: 'The request header section is too large.',
    });
  }
}
