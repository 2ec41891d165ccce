import { createConsoleTransport, type EmailTransport } from '@tses/jobs';

const LINE = /^\[email\] to=(\S+) .*Your sign-in code is (\d{4,10})\b/;

/**
 * The jobs' own console transport, writing into memory: the tests read the code the way a
 * user would, from the delivered email, never from Redis.
 */
export class Mailbox {
  readonly lines: string[] = [];
  readonly transport: EmailTransport = createConsoleTransport({ write: (line) => this.lines.push(line) });

  /** Codes delivered to `email`, oldest first. */
  codesFor(email: string): string[] {
    return this.lines.flatMap((line) => {
      const match = LINE.exec(line);
      return match !== null && match[1] === email && match[2] !== undefined ? [match[2]] : [];
    });
  }

  /**
   * Waits until `count` codes were delivered to `email` and returns the latest.
   *
   * @throws Error after `timeoutMs`.
   */
  async waitForCode(email: string, count = 1, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const codes = this.codesFor(email);
      if (codes.length >= count) return codes[codes.length - 1] as string;
      if (Date.now() > deadline) throw new Error(`no email #${count} for ${email} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A code that differs from `code` in every digit. */
export function wrongCode(code: string): string {
  return code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
}
