// Audit stores for the jobs' tests: a memory store that fails its first writes, as PostgreSQL
// down would, and the count of rows a store holds.
import { createMemoryAuditStore, type AuditStore } from '@tses/audit';

/** A memory audit store that fails its first `failures` writes, as PostgreSQL down would. */
export function flakyAuditStore(failures: number): AuditStore & { readonly writes: number } {
  const store = createMemoryAuditStore();
  let writes = 0;
  return {
    ...store,
    get writes() {
      return writes;
    },
    async write(event) {
      writes++;
      if (writes <= failures) throw new Error('simulated database outage');
      return store.write(event);
    },
  };
}

/** How many rows `store` holds. */
export const rowsOf = async (store: AuditStore): Promise<number> =>
  (await store.queryPage({ pageSize: 100 })).count;
