import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  AUDIT_QUEUE_NAME,
  auditMigrationsDir,
  createAuditPool,
  createPostgresAuditStore,
  runMigrations,
} from '@tses/audit';
import { normalizeEmail } from '@tses/core';
import type { OtpSettings } from '@tses/otp';
import { rateLimitRedisOptions } from '@tses/redis-ratelimit';
import {
  AUDIT_EVENTS_QUEUE,
  bullmqPrefixFor,
  createRedisClient,
  OTP_EMAIL_QUEUE,
  OTP_ISSUED_QUEUE,
  startWorker,
  type RedisConnection,
  type RunningWorker,
} from '@tses/jobs';
import { Queue, type Telemetry } from 'bullmq';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { sql, type DatabasePool } from 'slonik';
import { testServiceUrls } from '../../../../scripts/check-services.mjs';
import { deleteKeysMatching, keysMatching } from '../../../../scripts/test-support/redis-keys.mjs';
import {
  buildEmbeddedDeps,
  buildFullDeps,
  connectRedis as connectServiceRedis,
  createApp,
  createHttpServer,
  createSigningKeys,
  serviceMigrationsDir,
  type AppDeps,
  type ServiceOptions,
  type SigningKeys,
} from '../../src/index.js';
import { ApiClient } from './api-client.js';
import { Mailbox } from './mailbox.js';
import { OpenApiValidator } from './openapi-validator.js';
import { testRedisTarget } from './redis-topology.js';

/** Options shared by both harnesses. */
export interface HarnessOptions {
  readonly adminEmails?: readonly string[];
  readonly trustProxyHops?: number;
  readonly verifyIpLimit?: number;
  readonly otpSettings?: Partial<OtpSettings>;
  readonly signingKeys?: SigningKeys;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  /** Where the app (not the worker, not migrations) reaches Redis / PostgreSQL; default the test services. */
  readonly redisUrl?: string;
  readonly databaseUrl?: string;
  /** Replace some dependencies (e.g. a failing one) after wiring. */
  readonly overrideDeps?: (deps: AppDeps) => AppDeps;
  /** The API's logger (default: silent unless TEST_LOG_LEVEL); tests that read the log pass a capture. */
  readonly logger?: Logger;
  /** The worker's logger (full mode; default: the API's). */
  readonly workerLogger?: Logger;
  /** BullMQ telemetry for the publisher and the worker (full mode; tracing tests). */
  readonly jobTelemetry?: Telemetry;
}

/** A running service under test. */
export interface Harness {
  readonly client: ApiClient;
  readonly validator: OpenApiValidator;
  readonly mailbox: Mailbox;
  readonly deps: AppDeps;
  readonly logger: Logger;
  /** Requests a code for `email`, reads it from the delivered email, verifies it; returns the 200 body. */
  signIn(
    email: string,
    headers?: Record<string, string>,
  ): Promise<{ access: string; refresh: string; user: { id: string } }>;
  /** Waits until every queued job ran (in-process) or the worker drained the queues (BullMQ). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_JWT = { issuer: 'tses-test', audience: 'tses-test-api' };

/** What both harnesses configure the same way: settings, fresh secrets, token settings. */
async function serviceOptions(options: HarnessOptions, logger: Logger): Promise<ServiceOptions> {
  return {
    logger,
    settings: {
      adminEmails: options.adminEmails ?? ['admin@example.com'],
      trustProxyHops: options.trustProxyHops ?? 0,
      verifyIpRule: { name: 'otp-verify-ip', limit: options.verifyIpLimit ?? 1_000, windowMs: 900_000 },
      version: '0.0.0-test',
    },
    otpSecret: randomBytes(48).toString('base64'),
    ...(options.otpSettings === undefined ? {} : { otpSettings: options.otpSettings }),
    signingKeys:
      options.signingKeys ?? (await createSigningKeys({ secret: randomBytes(48).toString('base64') })),
    jwt: {
      ...TEST_JWT,
      accessTtlSeconds: options.accessTtlSeconds ?? 300,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 86_400,
    },
  };
}

/** The test logger: silent unless TEST_LOG_LEVEL is set. */
export function testLogger(): Logger {
  return pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
}

async function listen(deps: AppDeps) {
  const { app, document } = createApp(deps);
  // The production server (timeouts, answers to requests the HTTP parser rejects), as main.ts runs it.
  const server = createHttpServer(app, { logger: deps.logger }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const validator = new OpenApiValidator(document);
  const client = new ApiClient(`http://127.0.0.1:${port}`, validator);
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { client, validator, close, document };
}

function signInWith(client: ApiClient, mailbox: Mailbox) {
  return async (email: string, headers: Record<string, string> = {}) => {
    const normalized = normalizeEmail(email);
    const delivered = normalized.ok ? normalized.email : email;
    const before = mailbox.codesFor(delivered).length;
    const requested = await client.post('/api/v1/auth/otp/request', { email }, { headers });
    if (requested.status !== 202)
      throw new Error(`request for ${email}: ${requested.status} ${requested.text}`);
    const code = await mailbox.waitForCode(delivered, before + 1);
    const verified = await client.post('/api/v1/auth/otp/verify', { email, otp: code }, { headers });
    if (verified.status !== 200) throw new Error(`verify for ${email}: ${verified.status} ${verified.text}`);
    return verified.body as { access: string; refresh: string; user: { id: string } };
  };
}

/** A random namespace for one test file: Redis key prefix, BullMQ prefix, PostgreSQL schema. */
export function namespace() {
  const id = randomUUID().replaceAll('-', '').slice(0, 16);
  return { id, schema: `auth_test_${id}`, keyPrefix: `test:${id}:`, queuePrefix: `t${id}` };
}

/** Migrates a fresh schema and opens a pool (the caller drops the schema). */
export async function migratedPool(schema: string): Promise<DatabasePool> {
  const { databaseUrl } = testServiceUrls();
  await runMigrations({ databaseUrl, schema, dirs: [auditMigrationsDir, serviceMigrationsDir] });
  return createAuditPool({ databaseUrl, connectionTimeoutMs: 2_000 });
}

/** A connected ioredis client with the limiter's settings. */
export async function connectRedis(url = testServiceUrls().redisUrl): Promise<Redis> {
  const redis = new Redis(url, { ...rateLimitRedisOptions, enableAutoPipelining: true });
  await once(redis, 'ready');
  return redis;
}

/** Every key under `prefix` (SCAN, so other tests' keys on the same server are never touched). */
export function keysUnder(redis: RedisConnection, prefix: string): Promise<string[]> {
  return keysMatching(redis, `${prefix}*`);
}

/** Deletes the keys of a test namespace (its own random prefix only; never FLUSHDB). */
export function deleteKeys(redis: RedisConnection, prefix: string): Promise<void> {
  return deleteKeysMatching(redis, `${prefix}*`);
}

/** The full stack on real Redis + PostgreSQL, with the real BullMQ worker consuming real queues. */
export interface FullHarness extends Harness {
  /** The API's client: one server, or a Cluster under `TEST_REDIS_TOPOLOGY=cluster`. */
  readonly redis: RedisConnection;
  readonly pool: DatabasePool;
  readonly schema: string;
  /** The service's Redis key prefix in this test (random; every key the service writes starts with it). */
  readonly keyPrefix: string;
  readonly queuePrefix: string;
  /**
   * Waits until the worker delivered at least `count` emails (`email`) or wrote at least `count`
   * audit rows (`audit`): outcomes, whichever jobs carried them.
   */
  waitForCompleted(queue: 'email' | 'audit', count: number, timeoutMs?: number): Promise<void>;
}

/**
 * Starts the service in full mode on an ephemeral port in an isolated namespace, plus the worker.
 * Under `TEST_REDIS_TOPOLOGY=cluster` the API, the worker and the queue watchers run on the
 * Redis Cluster of `REDIS_CLUSTER_NODES`, connected as the apps connect (`options.redisUrl`,
 * which points the API at a proxy of one server, is then refused).
 *
 * @param options - Settings and overrides.
 * @returns The harness; call `close()` in `afterAll`.
 */
export async function startFullHarness(options: HarnessOptions = {}): Promise<FullHarness> {
  const { redisUrl } = testServiceUrls();
  const ns = namespace();
  const logger = options.logger ?? testLogger();
  const migrationPool = await migratedPool(ns.schema);
  const pool =
    options.databaseUrl === undefined
      ? migrationPool
      : await createAuditPool({ databaseUrl: options.databaseUrl, connectionTimeoutMs: 1_000 });
  const target = testRedisTarget();
  if (target.kind === 'cluster' && options.redisUrl !== undefined)
    throw new Error('options.redisUrl points the API at one server: not on the cluster');
  const redis: RedisConnection =
    target.kind === 'cluster'
      ? await connectServiceRedis(target, logger)
      : await connectRedis(options.redisUrl ?? redisUrl);
  redis.on('error', () => {}); // outages are what some suites test
  const cleanupRedis = options.redisUrl === undefined ? redis : await connectRedis(redisUrl);
  // The queues' own connections: blocking readers want `maxRetriesPerRequest: null`.
  const queueConnections: RedisConnection[] = [];
  const queueConnection = () => {
    const connection = createRedisClient(target, {
      name: 'tses-test-queues',
      node: { maxRetriesPerRequest: null },
    });
    queueConnections.push(connection);
    return connection;
  };
  const queuePrefix = bullmqPrefixFor(ns.queuePrefix, redis);
  const encryptionKey = randomBytes(32).toString('base64');
  const built = buildFullDeps({
    ...(await serviceOptions(options, logger)),
    redis,
    pool,
    schema: ns.schema,
    jobEncryptionKey: encryptionKey,
    keyPrefix: ns.keyPrefix,
    queuePrefix: ns.queuePrefix,
    ...(options.jobTelemetry === undefined ? {} : { jobTelemetry: options.jobTelemetry }),
  });
  const deps = options.overrideDeps?.(built.deps) ?? built.deps;
  const http = await listen(deps);
  const mailbox = new Mailbox();

  const worker: RunningWorker = startWorker({
    redis: target.kind === 'cluster' ? target : { kind: 'standalone', url: redisUrl },
    prefix: ns.queuePrefix,
    auditStore: createPostgresAuditStore({ pool: migrationPool, schema: ns.schema }),
    transport: mailbox.transport,
    encryptionKey,
    logger: options.workerLogger ?? logger,
    concurrency: 8,
    ...(options.jobTelemetry === undefined ? {} : { telemetry: options.jobTelemetry }),
  });
  await worker.waitUntilReady();

  const queues = [OTP_ISSUED_QUEUE, AUDIT_EVENTS_QUEUE, OTP_EMAIL_QUEUE, AUDIT_QUEUE_NAME].map(
    (name) => new Queue(name, { connection: queueConnection(), prefix: queuePrefix }),
  );

  const auditTable = sql.identifier([ns.schema, 'audit_log']);
  const outcomes = {
    email: async () => mailbox.lines.length,
    audit: async () =>
      Number(await migrationPool.oneFirst(sql.unsafe`SELECT count(*)::int FROM ${auditTable}`)),
  };
  async function waitForCompleted(queue: 'email' | 'audit', count: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let seen = await outcomes[queue]();
    while (seen < count) {
      if (Date.now() > deadline) throw new Error(`only ${seen}/${count} ${queue} outcomes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await outcomes[queue]();
    }
  }

  return {
    ...http,
    mailbox,
    deps,
    logger,
    redis,
    pool,
    schema: ns.schema,
    keyPrefix: ns.keyPrefix,
    queuePrefix: ns.queuePrefix,
    waitForCompleted,
    signIn: signInWith(http.client, mailbox),
    async settle() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const counts = await Promise.all(
          queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
        );
        if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
        if (Date.now() > deadline) throw new Error(`queues did not drain: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await http.close();
      await worker.close();
      await built.jobs.close();
      await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
      await deleteKeys(cleanupRedis, ns.keyPrefix);
      await migrationPool.query(sql.unsafe`DROP SCHEMA ${sql.identifier([ns.schema])} CASCADE`);
      await migrationPool.end();
      if (pool !== migrationPool) await pool.end();
      redis.disconnect();
      if (cleanupRedis !== redis) await cleanupRedis.quit();
      for (const connection of queueConnections) connection.disconnect();
    },
  };
}

/** The embedded stack: memory stores and in-process jobs. */
export interface EmbeddedHarness extends Harness {
  readonly auditCount: () => Promise<number>;
}

/**
 * Starts the service in embedded mode on an ephemeral port.
 *
 * @param options - Settings and overrides.
 * @returns The harness.
 */
export async function startEmbeddedHarness(options: HarnessOptions = {}): Promise<EmbeddedHarness> {
  const logger = options.logger ?? testLogger();
  const mailbox = new Mailbox();
  const built = buildEmbeddedDeps({
    ...(await serviceOptions(options, logger)),
    transport: mailbox.transport,
  });
  const deps = options.overrideDeps?.(built.deps) ?? built.deps;
  const http = await listen(deps);
  return {
    ...http,
    mailbox,
    deps,
    logger,
    signIn: signInWith(http.client, mailbox),
    settle: () => built.jobs.whenIdle(),
    auditCount: async () => (await built.auditStore.queryPage({ pageSize: 1 })).count,
    async close() {
      await http.close();
      await built.jobs.close();
    },
  };
}
