import { createSafeLogger } from '@tses/app-runtime';
import type { Logger } from 'pino';
import { createLogger } from '../../src/index.js';

/** A real app logger (the production factory, every level) writing its JSON lines into memory. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Everything written so far, raw. */
  text(): string;
  /** Every line, parsed. */
  lines(): Array<Record<string, unknown>>;
}

function capture(make: (write: (chunk: string) => void) => Logger): CapturedLog {
  const chunks: string[] = [];
  const logger = make((chunk) => void chunks.push(chunk));
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The API's logger (`createLogger`) at trace level, captured. */
export function captureApiLog(): CapturedLog {
  return capture((write) => createLogger({ level: 'trace', destination: { write } }));
}

/** The worker's logger (the same safe logger under the worker's name) at trace level, captured. */
export function captureWorkerLog(): CapturedLog {
  return capture((write) =>
    createSafeLogger({ name: 'tses-worker', level: 'trace', destination: { write } }),
  );
}
