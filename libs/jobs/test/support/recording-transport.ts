// An in-memory email transport: records what was sent, can fail the first N sends or be slow.
import type { EmailMessage, EmailTransport } from '../../src/index.js';

export interface RecordingTransport extends EmailTransport {
  readonly sent: EmailMessage[];
  /** Time of every send call (including failed ones), in ms since epoch. */
  readonly calls: number[];
}

export function recordingTransport(
  options: { failFirst?: number; delayMs?: number } = {},
): RecordingTransport {
  const sent: EmailMessage[] = [];
  const calls: number[] = [];
  return {
    name: 'recording',
    sent,
    calls,
    async send(message) {
      calls.push(Date.now());
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (calls.length <= (options.failFirst ?? 0))
        throw new Error('simulated SMTP outage (451 try again later)');
      sent.push(message);
    },
    async close() {},
  };
}

/** The six-digit code in a sent message. */
export function codeIn(message: EmailMessage | undefined): string | undefined {
  return message?.text.match(/\b(\d{6})\b/)?.[1];
}
