import { createSafeLogger } from '@tses/app-runtime';
import type { DestinationStream, Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  readonly level: string;
  /** Pretty-print (development only; falls back to JSON when `pino-pretty` is not installed). */
  readonly pretty?: boolean;
  readonly name?: string;
  /** Where JSON lines go; default stdout. Tests pass a collector. */
  readonly destination?: DestinationStream;
}

/**
 * The service's pino logger: the apps' safe logger (`createSafeLogger`) under the service's name,
 * so both apps redact credentials at any depth and cap every value the same way.
 *
 * @param options - Level, pretty-printing, name, destination.
 * @returns A pino logger.
 * @example
 * ```ts
 * const log = createLogger({ level: 'info' });
 * ```
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return createSafeLogger({ ...options, name: options.name ?? 'auth-service' });
}
