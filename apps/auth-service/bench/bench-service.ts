// The service as both HTTP benches build it: the dependencies main.ts wires in full mode (limits
// raised so only the scenario's own rule refuses), and an app that keeps each issued code so a
// verify run can take the success path.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tasksByQueue, bullmqPrefixFor, type RedisConnection } from '@tses/jobs';
import { Queue } from 'bullmq';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import { createApp, createSigningKeys, type AppDeps, type FullDepsOptions } from '../src/index.js';

/** What a bench's service differs by: its clients, schema and key/queue namespaces. */
export interface BenchServiceInput {
  readonly redis: RedisConnection;
  readonly pool: DatabasePool;
  readonly schema: string;
  readonly logger: Logger;
  readonly keyPrefix: string;
  readonly queuePrefix: string;
}

/** The full-mode options of a bench service: fresh secrets, the per-IP limits out of the way. */
export async function benchServiceOptions(input: BenchServiceInput): Promise<FullDepsOptions> {
  return {
    ...input,
    settings: {
      adminEmails: [],
      trustProxyHops: 0,
      verifyIpRule: { name: 'otp-verify-ip', limit: 1_000_000_000, windowMs: 900_000 },
      version: 'bench',
    },
    otpSecret: randomBytes(48).toString('base64'),
    otpSettings: { ipRequestLimit: 1_000_000 },
    signingKeys: await createSigningKeys({ secret: randomBytes(48).toString('base64') }),
    jwt: { issuer: 'bench', audience: 'bench', accessTtlSeconds: 300, refreshTtlSeconds: 86_400 },
    jobEncryptionKey: randomBytes(32).toString('base64'),
  };
}

/**
 * The service's app over `deps`, its job port keeping each issued code (bench only) as the body
 * of a verify request.
 */
export function appKeepingCodes(deps: AppDeps): { readonly app: Koa; takeIssued(): string[] } {
  const issued: string[] = [];
  const jobs = deps.jobs;
  const { app } = createApp({
    ...deps,
    jobs: {
      otpIssued: (input) => {
        issued.push(`{"email":"${input.email}","otp":"${input.otp}"}`);
        return jobs.otpIssued(input);
      },
      auditEvent: (event) => jobs.auditEvent(event),
    },
  });
  return { app, takeIssued: () => issued.splice(0) };
}

/** Removes every queue of the task list under `prefix` (the bench's own). */
export async function obliterateQueues(connection: RedisConnection, prefix: string): Promise<void> {
  for (const name of tasksByQueue().keys()) {
    const queue = new Queue(name, { connection, prefix: bullmqPrefixFor(prefix, connection) });
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** Serves `app` on a free loopback port with keep-alive, as the load generator expects. */
export async function listen(app: Koa): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
