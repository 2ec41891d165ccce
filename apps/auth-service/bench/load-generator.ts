// The load generator of http.bench.ts, run as its own process (forked, IPC for orders and results)
// so its CPU is neither the service's event loop nor hidden inside the service's process: the
// bench reports the service's CPU per request from `process.cpuUsage()` of the service process
// alone, and this process's CPU beside it.
//
// Closed loop: `concurrency` clients, one keep-alive socket each, each sending its next request
// as soon as the previous answer arrived. Raw HTTP/1.1 over `net` with prebuilt request buffers
// instead of `http.request`: the client costs ~4× less CPU per request, which on a 2-core machine
// otherwise caps the bare route first and flatters every ratio. Both apps answer with
// `Content-Length` (Koa with a JSON or string body), the only framing this parser reads.
import { connect, type Socket } from 'node:net';

/** What the bench asks for. */
export interface LoadOrder {
  readonly url: string;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Request bodies to send once each, in order (the verify run); otherwise generated. */
  readonly bodies?: readonly string[];
  /** Generated bodies: `{"email":"<prefix><n>@example.com"}`. */
  readonly bodyPrefix?: string;
  /** Generated bodies cycle over this many addresses (the refused flood); default all distinct. */
  readonly distinctEmails?: number;
}

/** Messages from this process: the measured window's edges, then the result. */
export type LoadMessage =
  | { readonly type: 'window-start' }
  | { readonly type: 'window-end' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'error'; readonly error: string };

/** What one run measured (responses completed inside the window). */
export interface LoadResult {
  readonly count: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Bodies handed out, warm-up included. */
  readonly sent: number;
  /** Whether the run ran out of bodies before the window ended (verify: not enough codes). */
  readonly exhausted: boolean;
  /** This process's CPU per measured response (µs). */
  readonly clientCpuUs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

function requestBuffer(target: URL, body: string): Buffer {
  const head =
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.from(head + body);
}

/** Byte length of a complete response at the start of `buffer`, or 0 while incomplete. */
function responseLength(buffer: Buffer): number {
  const end = buffer.indexOf(HEADER_END);
  if (end < 0) return 0;
  const head = buffer.toString('latin1', 0, end);
  const length = CONTENT_LENGTH.exec(head)?.[1];
  if (length === undefined) throw new Error(`response without Content-Length: ${head.split('\r\n')[0]}`);
  const total = end + 4 + Number(length);
  return buffer.length >= total ? total : 0;
}

async function run(order: LoadOrder, send: (message: LoadMessage) => void): Promise<LoadResult> {
  const target = new URL(order.url);
  let next = 0;
  const nextBody = (): string | undefined => {
    if (order.bodies) return next < order.bodies.length ? order.bodies[next++] : undefined;
    const n = order.distinctEmails === undefined ? next : next % order.distinctEmails;
    next++;
    return `{"email":"${order.bodyPrefix ?? ''}${n}@example.com"}`;
  };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let exhausted = false;
  let measuring = false;
  let stopped = false;
  let windowStart = 0;
  let lastDone = 0;
  let cpuAtStart = process.cpuUsage();
  setTimeout(() => {
    measuring = true;
    windowStart = performance.now();
    cpuAtStart = process.cpuUsage();
    send({ type: 'window-start' });
  }, order.warmupMs);
  const windowEnd = new Promise<NodeJS.CpuUsage>((resolve) =>
    setTimeout(() => {
      const cpu = process.cpuUsage(cpuAtStart);
      measuring = false;
      stopped = true;
      send({ type: 'window-end' });
      resolve(cpu);
    }, order.warmupMs + order.durationMs),
  );

  const client = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket: Socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
      let pending: Buffer = Buffer.alloc(0);
      let started = 0;
      const sendNext = () => {
        const body = stopped ? undefined : nextBody();
        if (body === undefined) {
          if (!stopped) exhausted = true;
          socket.end();
          resolve();
          return;
        }
        started = performance.now();
        socket.write(requestBuffer(target, body));
      };
      socket.on('connect', sendNext);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const length = responseLength(pending);
        if (length === 0) return;
        if (measuring) {
          lastDone = performance.now();
          latencies.push(lastDone - started);
          const status = pending.toString('latin1', 9, 12);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        pending = pending.subarray(length);
        sendNext();
      });
      socket.on('error', reject);
    });

  await Promise.all(Array.from({ length: order.concurrency }, client));
  const cpu = await windowEnd;
  // Out of bodies early (verify): the window ends with the last answer, not with the clock.
  const seconds = exhausted ? (lastDone - windowStart) / 1000 : order.durationMs / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    count: latencies.length,
    rps: latencies.length / seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? NaN,
    statuses,
    sent: next,
    exhausted,
    clientCpuUs: (cpu.user + cpu.system) / Math.max(1, latencies.length),
  };
}

process.once('message', (order: LoadOrder) => {
  const send = (message: LoadMessage) => process.send?.(message);
  run(order, send).then(
    (result) => send({ type: 'result', result }),
    (error: unknown) => send({ type: 'error', error: String((error as Error)?.stack ?? error) }),
  );
});
