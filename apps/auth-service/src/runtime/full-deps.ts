import { createPostgresAuditStore } from '@tses/audit';
import { RedisOtpStore } from '@tses/otp';
import {
  createBullmqJobPublisher,
  type JobEncryptionKey,
  type JobPublisher,
  type RedisConnection,
} from '@tses/jobs';
import type { Telemetry } from 'bullmq';
import { sql, type DatabasePool } from 'slonik';
import type { AppDeps } from '../app-deps.js';
import { keyLayout } from '../redis-keys/key-layout.js';
import { RedisSessionStore } from '../tokens/redis-session-store.js';
import { PostgresUserRepository } from '../users/postgres-user-repository.js';
import { buildAuthServices, type ServiceOptions } from './auth-services.js';

/** Inputs of {@link buildFullDeps}: connected clients plus secrets and namespaces. */
export interface FullDepsOptions extends ServiceOptions {
  /**
   * An ioredis client created with `rateLimitRedisOptions`, or a `Cluster` with
   * `rateLimitClusterOptions` (no offline queue, no replays).
   */
  readonly redis: RedisConnection;
  /** BullMQ telemetry (`jobTracing()` of `@tses/jobs`) when tracing is on: jobs continue the request's trace. */
  readonly jobTelemetry?: Telemetry;
  /** A slonik pool with the result-parser interceptor (`createAuditPool`). */
  readonly pool: DatabasePool;
  /** Schema of `users` and `audit_log` (default `public`). */
  readonly schema?: string;
  /** `JOB_ENCRYPTION_KEY`: the text, or the key `loadConfig` parsed. */
  readonly jobEncryptionKey: string | JobEncryptionKey;
  /** Prefix of every Redis key this service writes (default `tses:`, see `keyLayout`); tests use a random one. */
  readonly keyPrefix?: string;
  /** BullMQ prefix; must match the worker's (default `DEFAULT_QUEUE_PREFIX`, `tses`; a hash tag, `{tses}`, on a Cluster). */
  readonly queuePrefix?: string;
}

/** The dependencies plus what must be closed on shutdown. */
export interface FullDeps {
  readonly deps: AppDeps;
  readonly jobs: JobPublisher;
}

/**
 * Wires the services on Redis and PostgreSQL. Opens nothing itself except the job publisher's
 * own fail-fast connection (a duplicate of `redis`).
 *
 * @param options - Clients, secrets, namespaces.
 * @returns The app dependencies and the publisher to close.
 */
export function buildFullDeps(options: FullDepsOptions): FullDeps {
  const { redis, pool, logger } = options;
  const keys = keyLayout(options.keyPrefix);
  const services = buildAuthServices(options, {
    limits: { redis },
    // The store's deadline now bounds a written command too; 2 s is the client's `commandTimeout`,
    // which bounded it before, so a slow Redis is waited for as long as it was.
    otp: new RedisOtpStore(redis, { timeoutMs: 2_000 }),
    sessions: new RedisSessionStore({ redis, prefix: keys.sessions }),
    keys,
  });
  const schema = options.schema === undefined ? {} : { schema: options.schema };
  const jobs = createBullmqJobPublisher({
    connection: redis,
    ...(options.jobTelemetry === undefined ? {} : { telemetry: options.jobTelemetry }),
    ...(options.queuePrefix === undefined ? {} : { prefix: options.queuePrefix }),
    encryptionKey: options.jobEncryptionKey,
    logger,
  });
  const deps: AppDeps = {
    logger,
    settings: options.settings,
    ...services,
    users: new PostgresUserRepository({ pool, ...schema }),
    audit: createPostgresAuditStore({ pool, ...schema }),
    jobs,
    health: [
      {
        name: 'redis',
        async check() {
          await redis.ping();
        },
      },
      {
        name: 'postgres',
        async check() {
          await pool.oneFirst(sql.unsafe`SELECT 1`);
        },
      },
    ],
  };
  return { deps, jobs };
}
