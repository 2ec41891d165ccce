// What carrying each otp_issued item's trace context costs the request path, per item, beside the
// work every item already does (encrypting its code): with no SDK registered (tracing off), with
// an SDK but no span being recorded (an untraced or sampled-out request), and inside a recorded
// span (the only case that injects a traceparent). Baselines in the same run: an empty call, and
// `encryptOtp` of one item. Run: `npm run bench -w @tses/jobs`.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { registerTracing } from '@tses/app-runtime';
import { context, trace } from '@opentelemetry/api';
import { parseEncryptionKey } from '../src/crypto/encryption-key.js';
import { encryptOtp } from '../src/crypto/otp-cipher.js';
import { captureTraceparent } from '../src/metrics/item-trace.js';

const N = 200_000;
let sink: unknown;

/** Nanoseconds per call of `run`, best of three rounds of `N` calls (after a warm-up round). */
function nsPerCall(run: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) sink = run();
    const ns = ((performance.now() - start) * 1e6) / N;
    if (round > 0) best = Math.min(best, ns);
  }
  return best;
}

const key = parseEncryptionKey(randomBytes(32).toString('base64'));
const empty = nsPerCall(() => undefined);
const encrypt = nsPerCall(() => encryptOtp('123456', 'user@example.com', key));
const off = nsPerCall(captureTraceparent);

const tracing = registerTracing({
  serviceName: 'bench',
  spanProcessor: {
    onStart: () => undefined,
    onEnd: () => undefined,
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  },
});
const noSpan = nsPerCall(captureTraceparent);
const span = tracing.tracer.startSpan('request');
const traced = context.with(trace.setSpan(context.active(), span), () => nsPerCall(captureTraceparent));
span.end();
await tracing.shutdown();

const rows = [
  ['empty call (baseline)', empty],
  ['encryptOtp, one item (baseline: work every item does)', encrypt],
  ['captureTraceparent, no SDK (tracing off)', off],
  ['captureTraceparent, SDK, no recorded span', noSpan],
  ['captureTraceparent, inside a recorded span (injects)', traced],
] as const;
for (const [name, ns] of rows) {
  console.log(
    `${name.padEnd(56)} ${ns.toFixed(0).padStart(7)} ns/item  ${(ns / encrypt).toFixed(3)}× encryptOtp`,
  );
}
if (typeof sink === 'symbol') console.log(sink.toString());
