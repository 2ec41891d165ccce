import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createMemoryAuditStore } from '../src/index.js';
import { auditStoreContract } from './support/store-contract.js';

auditStoreContract('memory', { fresh: async () => createMemoryAuditStore() });

it('memory store: callers cannot change stored rows through inputs or results', async () => {
  const store = createMemoryAuditStore();
  const metadata: Record<string, unknown> = { a: 1 };
  await store.write({
    id: randomUUID(),
    event: 'OTP_REQUESTED',
    email: 'a@example.com',
    metadata,
    occurredAt: new Date(),
  });
  metadata['a'] = 2;
  const first = await store.queryPage();
  (first.items[0]?.metadata as Record<string, unknown>)['a'] = 3;
  expect((await store.queryPage()).items[0]?.metadata).toEqual({ a: 1 });
});
