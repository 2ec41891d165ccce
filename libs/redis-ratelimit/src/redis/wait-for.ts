// Waiting for a connection without a listener per waiting call: every call waiting on one client
// or node shares one listener per event (60 calls each adding their own would trip Node's
// MaxListenersExceededWarning and leak during long outages). Each call adds only a timer.

/** A client or connection that emits its state changes (Node's `EventEmitter` API). */
export interface StateEmitter {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

const changes = new WeakMap<StateEmitter, Map<string, Promise<void>>>();

/** Resolves when `emitter` next emits one of `events` (one listener per event for all waiters). */
function nextOf(emitter: StateEmitter, events: readonly string[]): Promise<void> {
  let byEvents = changes.get(emitter);
  if (byEvents === undefined) changes.set(emitter, (byEvents = new Map()));
  const id = events.join(' ');
  let change = byEvents.get(id);
  if (change === undefined) {
    const waits = byEvents;
    change = new Promise<void>((resolve) => {
      const done = () => {
        for (const event of events) emitter.off(event, done);
        waits.delete(id);
        resolve();
      };
      for (const event of events) emitter.once(event, done);
    });
    byEvents.set(id, change);
  }
  return change;
}

/**
 * Resolves when `emitter` emits one of `events`, or at `until` (`performance.now()` time),
 * whichever comes first; with no emitter, at `until`.
 */
export function waitFor(
  emitter: StateEmitter | undefined,
  events: readonly string[],
  until: number,
): Promise<void> {
  const ms = until - performance.now();
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.ceil(ms));
    // Like the deadlines: the connection keeps the process alive, not this timer.
    timer.unref?.();
    if (emitter === undefined) return;
    void nextOf(emitter, events).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
