import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleTransport, createSmtpTransport } from '../src/index.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

describe('console transport', () => {
  it('prints exactly one line per email, newlines folded', async () => {
    const lines: string[] = [];
    const transport = createConsoleTransport({ write: (line) => lines.push(line) });
    await transport.send({ to: 'user@example.com', subject: 'Your sign-in code', text: 'Code 123456.\nBye' });
    expect(lines).toEqual(['[email] to=user@example.com subject="Your sign-in code" | Code 123456. Bye']);
  });
});

describe('SMTP transport (nodemailer, real socket)', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it('delivers the message to the SMTP server', async () => {
    sink = await startSmtpSink();
    const transport = createSmtpTransport({ url: sink.url, from: 'TSES <no-reply@example.com>' });
    await transport.send({
      to: 'user@example.com',
      subject: 'Your sign-in code',
      text: 'Your code is 654321.',
    });
    await transport.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.to).toEqual(['<user@example.com>']);
    expect(sink.received[0]!.data).toContain('Subject: Your sign-in code');
    expect(sink.received[0]!.data).toContain('654321');
  });

  it('rejects on a temporary server failure, so the job retries', async () => {
    sink = await startSmtpSink({ rejectFirst: 1 });
    const transport = createSmtpTransport({ url: sink.url, from: 'no-reply@example.com' });
    await expect(transport.send({ to: 'user@example.com', subject: 's', text: 't' })).rejects.toThrow(/451/);
    await transport.send({ to: 'user@example.com', subject: 's', text: 't' });
    expect(sink.received).toHaveLength(1);
    await transport.close();
  });
});
