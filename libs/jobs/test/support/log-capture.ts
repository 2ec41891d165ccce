// A pino logger writing JSON lines into memory, to assert on what the job runners log.
import { createSafeLogger } from '@tses/app-runtime';
import type { Logger } from 'pino';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line written so far, raw. */
  text(): string;
  /** Every line, parsed. */
  entries(): Array<Record<string, unknown>>;
  /** Lines with an `outcome` (one per job attempt). */
  jobLines(): Array<Record<string, unknown>>;
}

export function captureLogs(level = 'debug'): CapturedLogs {
  const chunks: string[] = [];
  // The apps' own safe logger (same redaction), writing here instead of stdout.
  const logger = createSafeLogger({
    name: 'tses-worker',
    level,
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const entries = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logger,
    text: () => chunks.join(''),
    entries,
    jobLines: () => entries().filter((e) => 'outcome' in e),
  };
}
