/** One email to deliver. Plain text only: a sign-in code needs nothing more. */
export interface EmailMessage {
  /** Recipient address. */
  readonly to: string;
  readonly subject: string;
  /** Body; may contain a one-time code, so it is never logged (except by the console transport). */
  readonly text: string;
}

/**
 * Delivers emails. `send` resolves once the message is handed over (SMTP: accepted by the
 * server) and rejects on a failure worth retrying.
 */
export interface EmailTransport {
  /** `console`, `smtp`, or a custom name; logged with each job. */
  readonly name: string;
  /**
   * @param message - The email.
   * @param options - `signal` aborts the send (a bounded shutdown); the server may still have
   *   accepted the message.
   */
  send(message: EmailMessage, options?: { signal?: AbortSignal }): Promise<void>;
  /** Releases sockets; idempotent. */
  close(): Promise<void>;
}
