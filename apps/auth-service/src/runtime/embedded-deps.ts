import { createMemoryAuditStore, type AuditStore } from '@tses/audit';
import { MemoryOtpStore, Otp, type OtpSettings } from '@tses/otp';
import { MemoryStore, RateLimiter } from '@tses/redis-ratelimit';
import { createInProcessJobs, type EmailTransport, type InProcessJobs } from '@tses/worker';
import type { Logger } from 'pino';
import type { AppDeps, AppSettings } from '../app-deps.js';
import { JwtTokenService } from '../tokens/jwt-token-service.js';
import { MemorySessionStore } from '../tokens/memory-session-store.js';
import type { SigningKeys } from '../tokens/signing-keys.js';
import { MemoryUserRepository } from '../users/memory-user-repository.js';

/** Inputs of {@link buildEmbeddedDeps}. */
export interface EmbeddedDepsOptions {
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
  /** Where emails go (console by default in `main.ts`; a collector in tests). */
  readonly transport: EmailTransport;
  readonly shutdownTimeoutMs?: number;
}

/** The dependencies plus the in-process job runner (to drain on shutdown) and the audit store. */
export interface EmbeddedDeps {
  readonly deps: AppDeps;
  readonly jobs: InProcessJobs;
  readonly auditStore: AuditStore;
}

/**
 * Wires the services on the libraries' in-memory stores with the worker's tasks running
 * in-process: one process, no Redis, no PostgreSQL, nothing persists.
 *
 * @param options - Secrets, transport, settings.
 * @returns The app dependencies, the job runner and the audit store.
 */
export function buildEmbeddedDeps(options: EmbeddedDepsOptions): EmbeddedDeps {
  const limiter = new RateLimiter({ store: new MemoryStore(), failureMode: 'throw' });
  const otp = new Otp({
    serverSecret: options.otpSecret,
    store: new MemoryOtpStore(),
    limiter,
    ...(options.otpSettings === undefined ? {} : { settings: options.otpSettings }),
  });
  const tokens = new JwtTokenService({
    keys: options.signingKeys,
    sessions: new MemorySessionStore(),
    ...options.jwt,
  });
  const auditStore = createMemoryAuditStore();
  const jobs = createInProcessJobs({
    transport: options.transport,
    auditStore,
    logger: options.logger,
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  const deps: AppDeps = {
    logger: options.logger,
    settings: options.settings,
    otp,
    limiter,
    tokens,
    users: new MemoryUserRepository(),
    audit: auditStore,
    jobs,
    health: [],
  };
  return { deps, jobs, auditStore };
}
