import type { ClientConfigurationInput } from 'slonik';

/**
 * The service's slonik settings beyond `createAuditPool`'s: no reset of a connection when it goes
 * back to the pool. slonik's default sends `DISCARD ALL` on every release, a second round trip
 * for each sign-in's user upsert; the service never changes session state (no `SET`, no
 * temporary tables, no prepared statements, schema-qualified names), so there is nothing to reset.
 */
export const servicePoolConfiguration: ClientConfigurationInput = {
  resetConnection: async () => {},
};
