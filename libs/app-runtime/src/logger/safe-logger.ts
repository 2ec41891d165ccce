import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * The one pino logger both apps log through (the API's `createLogger` and the worker's
 * `createWorkerLogger` are this under their names). Whatever a call site passes, a line never
 * carries a secret or an unbounded value:
 *
 * - every field whose name looks like a credential (authorization, cookie, set-cookie, token,
 *   refresh, otp, code, password, secret, api key, credential, private key) is censored at any
 *   depth, by walking the logged object; pino's own `redact` paths cover the same names as deep
 *   as its path syntax goes, as a second net;
 * - strings are capped (1 kB; stacks 4 kB) and scrubbed of JWTs and `Bearer` credentials, also
 *   inside the message; objects and arrays are cut at a depth and a width;
 * - errors keep only their type, message, code, status, stack and cause chain: never the extra
 *   properties libraries hang on them (Node's HTTP parser errors carry the raw request bytes in
 *   `rawPacket`, headers and body included); buffers are logged as their length.
 */

/** Options of {@link createSafeLogger}. */
export interface SafeLoggerOptions {
  /** The `name` of every line (`auth-service`, `tses-worker`). */
  readonly name: string;
  /** A pino level (`LOG_LEVEL`): `fatal` … `trace`, or `silent`. */
  readonly level: string;
  /** Human-readable output through pino-pretty, when it is installed (development). */
  readonly pretty?: boolean;
  /** Where JSON lines go; default stdout. Tests pass a collector. */
  readonly destination?: DestinationStream;
}

/** Replaces every censored value. */
export const REDACTED = '[redacted]';

const SECRET_FIELD =
  /authorization|cookie|token|refresh|otp|passw(or)?d|secret|api[-_]?key|credential|private[-_]?key|code/i;
// Field names that match the pattern above but never hold a credential.
const SAFE_FIELDS = new Set(['statusCode', 'status_code']);
// An error code (ECONNRESET, HPE_INVALID_CHUNK_SIZE, ERR_OTP_STORE) is a diagnostic, not a secret:
// a `code` field holding one is kept; any other `code` (a sign-in code) is censored.
const ERROR_CODE_FIELD = /^(error_?)?code$/i;
const ERROR_CODE = /^(E[A-Z]{2,}|[A-Z][A-Z0-9]*(_[A-Z0-9]+)+)$/;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;

const MAX_STRING = 1_024;
const MAX_STACK = 4_096;
const MAX_DEPTH = 5;
const MAX_KEYS = 40;
const MAX_ITEMS = 20;
const MAX_CAUSES = 3;

/**
 * Whether a field is censored wherever it appears: by its name, except an error code under `code`.
 *
 * @param name - The field name.
 * @param value - Its value.
 * @returns `true` when the value must not be logged.
 */
export function isSecretField(name: string, value: unknown): boolean {
  if (!SECRET_FIELD.test(name) || SAFE_FIELDS.has(name)) return false;
  return !(ERROR_CODE_FIELD.test(name) && typeof value === 'string' && ERROR_CODE.test(value));
}

function cap(text: string, max: number): string {
  const scrubbed = text.replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);
  return scrubbed.length <= max ? scrubbed : `${scrubbed.slice(0, max)}… [${scrubbed.length - max} more]`;
}

/**
 * An error as a log line may hold it: type, message, string code, status, stack and cause chain.
 *
 * @param error - What was thrown.
 * @param depth - Causes already followed.
 * @returns A plain object, bounded and scrubbed.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return sanitize(error, 0);
  const { code, status, statusCode } = error as { code?: unknown; status?: unknown; statusCode?: unknown };
  const out: Record<string, unknown> = {
    type: error.constructor.name,
    message: cap(error.message, MAX_STRING),
  };
  if (typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(code)) out['code'] = code;
  if (typeof code === 'number') out['code'] = code;
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus === 'number') out['status'] = httpStatus;
  if (typeof error.stack === 'string') out['stack'] = cap(error.stack, MAX_STACK);
  if (error.cause !== undefined && depth < MAX_CAUSES) out['cause'] = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < MAX_CAUSES) {
    out['errors'] = error.errors.slice(0, 5).map((member) => serializeError(member, depth + 1));
  }
  return out;
}

function sanitize(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return cap(value, MAX_STRING);
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Error) return serializeError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => sanitize(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    // Sockets, requests, clients: their fields are internals (and can hold request bytes).
    return `[${(value as object).constructor?.name ?? 'object'}]`;
  }
  return sanitizeFields(value as Record<string, unknown>, depth);
}

function sanitizeFields(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (kept++ >= MAX_KEYS) {
      out['…'] = `${Object.keys(fields).length - MAX_KEYS} more fields`;
      break;
    }
    out[key] =
      value !== undefined && value !== null && isSecretField(key, value)
        ? REDACTED
        : sanitize(value, depth + 1);
  }
  return out;
}

/**
 * pino `redact` paths for the same field names, as deep as pino's path syntax can say it (`code`
 * is left to the walk above, which keeps error codes).
 */
const REDACT_PATHS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  'token',
  'refresh',
  'otp',
  'password',
  'secret',
].flatMap((name) => {
  const key = name.startsWith('[') ? name : `.${name}`;
  return [key.slice(key.startsWith('.') ? 1 : 0), `*${key}`, `*.*${key}`];
});

/**
 * Creates a pino logger that cannot leak a secret or an unbounded value (see the file header).
 *
 * @param options - Name, level, pretty flag, destination.
 * @returns The logger.
 * @example
 * ```ts
 * const logger = createSafeLogger({ name: 'auth-service', level: 'info' });
 * logger.info({ headers: { authorization: 'Bearer eyJ…' } }, 'seen'); // authorization: "[redacted]"
 * ```
 */
export function createSafeLogger(options: SafeLoggerOptions): Logger {
  const base: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: {
      log: (fields) => sanitizeFields(fields, 0),
      bindings: (bindings) => sanitizeFields(bindings, 0),
    },
    // Already plain after `formatters.log`; this keeps pino's own error serializer from re-reading it.
    serializers: { err: (error: unknown) => serializeError(error) },
    hooks: {
      logMethod(args, method) {
        const bounded = args.map((arg: unknown) => (typeof arg === 'string' ? cap(arg, MAX_STRING) : arg));
        method.apply(this, bounded as Parameters<typeof method>);
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty === true && canResolve('pino-pretty')) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}

function canResolve(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
