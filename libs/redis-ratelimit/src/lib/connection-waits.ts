// Waiting for a connection without a listener per waiting call: every call waiting on one client
// or node shares one `ready`/`end` listener pair (60 calls each adding their own would trip
// Node's MaxListenersExceededWarning and leak during long outages). Each call adds only a timer.
import type { Cluster, Redis } from 'ioredis';

interface StatusEmitter {
  readonly status: string;
  once(event: 'ready' | 'end', listener: () => void): unknown;
  off(event: 'ready' | 'end', listener: () => void): unknown;
}

const changes = new WeakMap<StatusEmitter, Promise<void>>();

/** Resolves when `emitter` (a client or a Cluster node) next becomes `ready` or ends. */
function readyOrEnd(emitter: StatusEmitter): Promise<void> {
  let change = changes.get(emitter);
  if (change === undefined) {
    change = new Promise<void>((resolve) => {
      const done = () => {
        emitter.off('ready', done);
        emitter.off('end', done);
        changes.delete(emitter);
        resolve();
      };
      emitter.once('ready', done);
      emitter.once('end', done);
    });
    changes.set(emitter, change);
  }
  return change;
}

/**
 * Resolves when `emitter` becomes `ready` or ends, or at `until` (`performance.now()` time),
 * whichever comes first; with no emitter, at `until`.
 */
export function waitFor(emitter: StatusEmitter | undefined, until: number): Promise<void> {
  const ms = until - performance.now();
  if (ms <= 0 || emitter?.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.ceil(ms));
    // Like the deadlines (deadlines.ts): the connection keeps the process alive, not this timer.
    timer.unref?.();
    if (emitter === undefined) return;
    void readyOrEnd(emitter).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The connection to the primary that serves `slot`, as the Cluster's slot map says now. */
export function nodeForSlot(cluster: Cluster, slot: number | null): Redis | undefined {
  if (slot === null || slot === undefined) return undefined;
  const key = cluster.slots[slot]?.[0];
  if (key === undefined) return undefined;
  return cluster.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === key);
}
