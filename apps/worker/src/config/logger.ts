import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createWorkerLogger}. */
export interface WorkerLoggerOptions {
  readonly level: string;
  /** Human-readable output through pino-pretty, when it is installed (development). */
  readonly pretty?: boolean;
  /** Where JSON lines go; default stdout. Tests pass a collector. */
  readonly destination?: DestinationStream;
}

/**
 * Field paths pino censors, as a second line of defence: the worker never logs a code, a
 * ciphertext or a token in the first place.
 */
const REDACTED_PATHS = [
  'otp',
  '*.otp',
  'token',
  '*.token',
  'access',
  'refresh',
  'encryptionKey',
  '*.encryptionKey',
];

/**
 * The worker's pino logger: JSON lines (one per job attempt), pretty-printed in development
 * when `pino-pretty` can be resolved (it is a dev dependency, absent from production installs).
 *
 * @param options - Level, pretty flag, destination.
 * @returns The logger.
 * @example
 * ```ts
 * const logger = createWorkerLogger({ level: 'info', pretty: process.env.NODE_ENV === 'development' });
 * ```
 */
export function createWorkerLogger(options: WorkerLoggerOptions): Logger {
  const base = {
    name: 'tses-worker',
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty && canResolve('pino-pretty')) {
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
