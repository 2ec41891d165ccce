// Where a call waits on ioredis: the client until it is `ready` (or ends), and on a Cluster the
// connection to the primary that serves the call's slot.
import { waitFor } from '../../redis/wait-for.js';
import type { IoredisConnection, IoredisLike } from './ioredis-shape.js';

const READY_OR_END = ['ready', 'end'] as const;

/** Resolves when `connection` is `ready` or ends, or at `until`; with none, at `until`. */
export function waitForConnection(connection: IoredisConnection | undefined, until: number): Promise<void> {
  if (connection?.status === 'ready') return Promise.resolve();
  return waitFor(connection, READY_OR_END, until);
}

/** The connection to the primary that serves `slot`, as the Cluster's slot map says now. */
export function nodeForSlot(cluster: IoredisLike, slot: number): IoredisConnection | undefined {
  const address = cluster.slots?.[slot]?.[0];
  if (address === undefined) return undefined;
  return cluster.nodes?.('master').find((node) => `${node.options.host}:${node.options.port}` === address);
}
