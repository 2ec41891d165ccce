import { createRequire } from 'node:module';
import { pino, type Logger, type LoggerOptions } from 'pino';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  readonly level: string;
  /** Pretty-print (development only; falls back to JSON when `pino-pretty` is not installed). */
  readonly pretty?: boolean;
  readonly name?: string;
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * The service's pino logger: JSON lines, secrets redacted.
 *
 * @param options - Level, pretty-printing, name.
 * @returns A pino logger.
 * @example
 * ```ts
 * const log = createLogger({ level: 'info' });
 * ```
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const base: LoggerOptions = {
    name: options.name ?? 'auth-service',
    level: options.level,
    // Tokens, codes and credentials never reach the log (issue 5 "Worker" logging rule).
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.otp',
        '*.access',
        '*.refresh',
        '*.password',
        'otp',
        'access',
        'refresh',
      ],
      censor: '[redacted]',
    },
  };
  if (options.pretty === true && prettyAvailable()) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}
