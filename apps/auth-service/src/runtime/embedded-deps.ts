import { createMemoryAuditStore, type AuditStore } from '@tses/audit';
import { MemoryOtpStore } from '@tses/otp';
import { MemoryStore } from '@tses/redis-ratelimit';
import { createInProcessJobs, type EmailTransport, type InProcessJobs } from '@tses/jobs';
import type { AppDeps } from '../app-deps.js';
import { keyLayout } from '../redis-keys/key-layout.js';
import { MemorySessionStore } from '../tokens/memory-session-store.js';
import { MemoryUserRepository } from '../users/memory-user-repository.js';
import { buildAuthServices, type ServiceOptions } from './auth-services.js';

/** Inputs of {@link buildEmbeddedDeps}. */
export interface EmbeddedDepsOptions extends ServiceOptions {
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
  const services = buildAuthServices(options, {
    limits: { store: new MemoryStore() },
    otp: new MemoryOtpStore(),
    sessions: new MemorySessionStore(),
    keys: keyLayout(),
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
    ...services,
    users: new MemoryUserRepository(),
    audit: auditStore,
    jobs,
    health: [],
  };
  return { deps, jobs, auditStore };
}
