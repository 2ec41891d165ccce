import net from 'node:net';

/** What came back on a raw connection: the bytes as text, and whether the server closed it. */
export interface RawResponse {
  readonly text: string;
  readonly status: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Writes bytes to the server over a plain TCP connection (requests no HTTP client would send:
 * broken chunk sizes, oversize headers, half-sent uploads) and reads until the server closes or
 * `timeoutMs` passes. With `abort`, the client resets the connection right after writing.
 */
export async function rawRequest(
  port: number,
  payload: string | Buffer,
  options: { abort?: boolean; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  await new Promise<void>((resolve) => socket.write(payload, () => resolve()));
  if (options.abort) {
    socket.resetAndDestroy();
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, options.timeoutMs ?? 3_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const text = Buffer.concat(chunks).toString('latin1');
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
  return {
    text,
    status: status === undefined ? undefined : Number(status),
    headers,
    body: rest.join('\r\n\r\n'),
  };
}
