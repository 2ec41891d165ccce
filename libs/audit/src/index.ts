/**
 * `@tses/audit`: the audit log on PostgreSQL — migrations, an idempotent writer, the BullMQ job
 * contract for audit writes, and fast filtered queries (page numbers or keyset cursors).
 *
 * @packageDocumentation
 */
export {
  AuditConfigError,
  AuditConfigurationError,
  AuditDatabaseError,
  AuditDatabaseUnavailableError,
  AuditError,
  AuditMigrationError,
  AuditValidationError,
} from './lib/errors.js';
export type { AnyAuditError, AuditErrorCode, AuditValidationIssue } from './lib/errors.js';

export { AUDIT_EVENTS, EARLIEST_AUDIT_INSTANT, LATEST_AUDIT_INSTANT } from './lib/fields.js';
export type { AuditEventName } from './lib/fields.js';
export type { AuditEventInput } from './lib/event-input.js';

export {
  auditQuerySchema,
  DEFAULT_PAGE_SIZE,
  isWithinPageWindow,
  MAX_PAGE_SIZE,
  MAX_PAGE_WINDOW,
  parseAuditQuery,
} from './lib/query-input.js';
export type { AuditCursorQuery, AuditFilters, AuditPageQuery, AuditQuery } from './lib/query-input.js';

export type { AuditCursorPage, AuditPage, AuditRecord, AuditStore, AuditWriteResult } from './lib/store.js';
export { createMemoryAuditStore } from './lib/memory-store.js';
export { createPostgresAuditStore, DEFAULT_EXACT_COUNT_LIMIT } from './lib/postgres-store.js';
export type { PostgresAuditStoreOptions } from './lib/postgres-store.js';
export type { AuditOutcome, AuditOutcomeEvent, AuditTelemetryOptions } from './lib/audit-telemetry.js';
export { createAuditPool } from './lib/pool.js';
export type { AuditPoolOptions } from './lib/pool.js';
export { createResultParserInterceptor } from './lib/result-parser-interceptor.js';

export { auditMigrationsDir, runMigrations } from './lib/migrations.js';
export type { MigrationLogger, RunMigrationsOptions, RunMigrationsResult } from './lib/migrations.js';

export {
  AUDIT_QUEUE_NAME,
  auditJobOptions,
  auditJobPayloadSchema,
  enqueueAuditEvent,
  parseAuditJobPayload,
  WRITE_AUDIT_LOG_JOB,
} from './lib/job-contract.js';
export type { AuditJob, AuditJobPayload, AuditQueue } from './lib/job-contract.js';
