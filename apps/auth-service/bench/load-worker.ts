// The load generator runs in a worker thread (plain JavaScript, evaluated), so the service's event
// loop is not also busy generating requests: 64 clients, each with its own keep-alive socket,
// each sending its next request as soon as the previous answer arrived (closed-loop load).
export const LOAD_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, concurrency, durationMs, warmupMs, bodies, bodyPrefix } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0;
function body() {
  if (bodies) return next < bodies.length ? bodies[next++] : undefined;
  return JSON.stringify({ email: bodyPrefix + (next++) + '@example.com' });
}
function send(payload) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
(async () => {
  const latencies = [];
  const statuses = {};
  const begin = performance.now();
  const measureFrom = begin + warmupMs;
  const end = measureFrom + durationMs;
  let measuredStart = 0, measuredEnd = 0, count = 0;
  async function client() {
    for (;;) {
      const now = performance.now();
      if (now >= end) return;
      const payload = body();
      if (payload === undefined) return;
      const { status, ms } = await send(payload);
      const done = performance.now();
      if (done - ms >= measureFrom && done <= end) {
        if (measuredStart === 0) measuredStart = done - ms;
        measuredEnd = done;
        latencies.push(ms);
        statuses[status] = (statuses[status] || 0) + 1;
        count++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  const seconds = (measuredEnd - measuredStart) / 1000;
  parentPort.postMessage({ count, rps: count / seconds, p50: q(0.5), p99: q(0.99), max: latencies.at(-1), statuses, sent: next });
})().catch((e) => { parentPort.postMessage({ error: String(e && e.stack || e) }); });
`;
