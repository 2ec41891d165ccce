import type { EmailMessage, EmailTransport } from './email-transport.js';

/** Options of {@link createConsoleTransport}. */
export interface ConsoleTransportOptions {
  /** Where the line goes; defaults to `console.log` (stdout). Tests pass a collector. */
  readonly write?: (line: string) => void;
}

/**
 * The development "send": prints exactly one line per email to stdout, code included. This is
 * the only place a code may appear in output; never use it in production.
 *
 * @param options - Optional line sink.
 * @returns A transport named `console`.
 * @example
 * ```ts
 * const transport = createConsoleTransport();
 * await transport.send({ to: 'user@example.com', subject: 'Hi', text: 'Your code is 123456.' });
 * // [email] to=user@example.com subject="Hi" | Your code is 123456.
 * ```
 */
export function createConsoleTransport(options: ConsoleTransportOptions = {}): EmailTransport {
  // no-console: printing the email is this transport's whole job: the development stand-in for SMTP.
  // eslint-disable-next-line no-console
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    name: 'console',
    async send(message: EmailMessage) {
      write(
        `[email] to=${oneLine(message.to)} subject="${oneLine(message.subject)}" | ${oneLine(message.text)}`,
      );
    },
    async close() {},
  };
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
