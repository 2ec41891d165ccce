import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import {
  BadRequestProblem,
  HeaderFieldsTooLargeProblem,
  PayloadTooLargeProblem,
  RequestTimeoutProblem,
} from '../errors/request-problems.js';
import { PROBLEM_CONTENT_TYPE, type HttpProblem } from '../errors/problem.js';

// A client that goes away mid-request or mid-response, or sends bytes the HTTP parser refuses, is
// a fact of life on the internet, not a server fault: it is logged below error level.
const CLIENT_FAULT_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP_REQUEST_TIMEOUT',
]);

/** The `code` of a Node error, when it has a string one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether an error that reached the server (not a handler) is the client's doing: a dropped
 * connection, a timeout, a request the HTTP parser rejected (`HPE_*`), a 4xx from a body parser.
 *
 * @param error - From the server's `clientError` event or Koa's `error` event.
 * @returns `true` when it is logged as a client fault.
 */
export function isClientFault(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (CLIENT_FAULT_CODES.has(code) || code.startsWith('HPE_'))) return true;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The problem a parser error is answered with, as Node's own default answer would choose it. */
function problemFor(code: string | undefined, bodyLimitBytes: number): HttpProblem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HeaderFieldsTooLargeProblem();
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new PayloadTooLargeProblem(bodyLimitBytes);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestTimeoutProblem();
    default:
      return new BadRequestProblem();
  }
}

/** Options of {@link handleClientError}. */
export interface ClientErrorOptions {
  readonly logger: Logger;
  /** For the 413 detail of an oversize chunk extension. */
  readonly bodyLimitBytes: number;
}

/**
 * The server's `clientError` listener: a request the HTTP parser rejected, a timeout, or a client
 * that went away. Writes a minimal `application/problem+json` answer (400, 408, 413 or 431, with
 * `X-Request-Id`) when the socket is still writable and no response has started on it, then
 * closes the connection; logs one bounded line (error code, remote address, request id) below
 * error level. Never the error itself: Node attaches the raw request bytes (`rawPacket`:
 * credentials, cookies, bodies) to parser errors.
 *
 * @param error - The error Node reports.
 * @param socket - The client's socket.
 * @param options - Logger and body limit.
 * @example
 * ```ts
 * server.on('clientError', (error, socket) => handleClientError(error, socket, { logger, bodyLimitBytes }));
 * ```
 */
export function handleClientError(error: Error, socket: Duplex, options: ClientErrorOptions): void {
  const code = errorCode(error);
  const net = socket as Duplex & { remoteAddress?: string; _httpMessage?: { headersSent?: boolean } | null };
  const line = { fault: code ?? 'unknown', remote_address: net.remoteAddress ?? null };
  // Same rule as Node's default handler: answer only when nothing of a response was written yet.
  // HPE_CLOSED_CONNECTION is data that arrived after a response that announced `Connection:
  // close`: that answer stands, and a second one would corrupt the client's view of the stream.
  const inFlight = net._httpMessage;
  const answerable = code !== 'ECONNRESET' && code !== 'HPE_CLOSED_CONNECTION';
  if (
    answerable &&
    socket.writable &&
    (inFlight === undefined || inFlight === null || !inFlight.headersSent)
  ) {
    const requestId = randomUUID();
    const problem = problemFor(code, options.bodyLimitBytes);
    const body = JSON.stringify(problem.toBody({ requestId }));
    socket.end(
      [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-Id: ${requestId}`,
        'Cache-Control: no-store',
        'X-Content-Type-Options: nosniff',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
      () => socket.destroy(),
    );
    options.logger.info(
      { ...line, status: problem.status, request_id: requestId },
      'malformed request refused',
    );
    return;
  }
  socket.destroy();
  options.logger.debug(line, 'client connection ended abnormally');
}

/**
 * Koa's `error` listener: errors Koa reports outside the error handler (a socket that failed
 * while a response was being written). Client faults are logged at debug level with their code;
 * anything else at error level, through the logger's error serializer (no `rawPacket`).
 *
 * @param logger - The app logger.
 * @returns The listener.
 * @example
 * ```ts
 * app.on('error', appErrorListener(logger));
 * ```
 */
export function appErrorListener(logger: Logger): (error: unknown) => void {
  return (error) => {
    if (isClientFault(error))
      logger.debug({ fault: errorCode(error) ?? 'client' }, 'client connection failed');
    else logger.error({ err: error }, 'unhandled Koa error');
  };
}
