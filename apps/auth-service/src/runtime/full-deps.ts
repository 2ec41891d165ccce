import { createPostgresAuditStore } from '@tses/audit';
import { Otp, RedisOtpStore, type OtpSettings } from '@tses/otp';
import { RateLimiter } from '@tses/redis-ratelimit';
import { createBullmqJobPublisher, type JobPublisher } from '@tses/worker';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { sql, type DatabasePool } from 'slonik';
import type { AppDeps, AppSettings } from '../app-deps.js';
import { JwtTokenService } from '../tokens/jwt-token-service.js';
import { RedisSessionStore } from '../tokens/redis-session-store.js';
import type { SigningKeys } from '../tokens/signing-keys.js';
import { PostgresUserRepository } from '../users/postgres-user-repository.js';

/** Inputs of {@link buildFullDeps}: connected clients plus secrets and namespaces. */
export interface FullDepsOptions {
  /** An ioredis client created with `rateLimitRedisOptions` (no offline queue, no replays). */
  readonly redis: Redis;
  /** A slonik pool with the result-parser interceptor (`createAuditPool`). */
  readonly pool: DatabasePool;
  /** Schema of `users` and `audit_log` (default `public`). */
  readonly schema?: string;
  readonly logger: Logger;
  readonly settings: AppSettings;
  readonly otpSecret: string;
  readonly otpSettings?: Partial<OtpSettings>;
  readonly signingKeys: SigningKeys;
  readonly jwt: {
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly jobEncryptionKey: string;
  /** Prefix of every Redis key this service writes (default `tses:`); tests use a random one. */
  readonly keyPrefix?: string;
  /** BullMQ prefix; must match the worker's (default `tses`). */
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
  const prefix = options.keyPrefix ?? 'tses:';
  const limiter = new RateLimiter({
    redis,
    failureMode: 'throw',
    keyPrefix: `${prefix}rl:`,
    timeoutMs: 1_000,
  });
  const otp = new Otp({
    serverSecret: options.otpSecret,
    store: new RedisOtpStore(redis),
    limiter,
    keyPrefix: `${prefix}otp:`,
    ...(options.otpSettings === undefined ? {} : { settings: options.otpSettings }),
  });
  const tokens = new JwtTokenService({
    keys: options.signingKeys,
    sessions: new RedisSessionStore({ redis, prefix: `${prefix}auth:` }),
    ...options.jwt,
  });
  const schema = options.schema === undefined ? {} : { schema: options.schema };
  const jobs = createBullmqJobPublisher({
    connection: redis,
    prefix: options.queuePrefix ?? 'tses',
    encryptionKey: options.jobEncryptionKey,
    logger,
  });
  const deps: AppDeps = {
    logger,
    settings: options.settings,
    otp,
    limiter,
    tokens,
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
