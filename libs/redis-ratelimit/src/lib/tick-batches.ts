// Coalescing, the part shared by `consume` and `consumeAll`: the calls a limiter makes in one tick
// are held until the tick ends (`process.nextTick`: after the code and promise callbacks that
// issued them, before any I/O) and then sent together, as one script per slot (one per tick on a
// standalone server). A slot with one call sends it as the single script: on a Cluster with keys
// spread over many slots most ticks have one call per slot (measured: a batch per call cost twice
// the single script), and the client writes a tick's commands for one node in one go anyway
// (node-redis always; the ioredis adapter with `enableAutoPipelining`).
//
// A batch is one script call under the deadline of its first call (one limiter, one timeout: the
// earliest of the tick): nothing is written at or after it, each caller gets its timeout then
// even if the batch is still in flight, and a batch that may have run is never sent again (the
// script run's rules: only `NOSCRIPT` and a refusal before writing send it again, and only before
// the deadline). Calls for one key keep their order.
import type { RedisScriptClient } from '../redis/script-client.js';
import type { Deadlines } from './deadlines.js';
import { keySlot } from './key-slot.js';
import type { FaultPolicy } from './pending-call.js';

/** What a sent batch needs from its limiter. */
export interface BatchContext {
  readonly client: RedisScriptClient;
  readonly deadlines: Deadlines;
  readonly policy: FaultPolicy;
}

/** A caller waiting for its answer. */
export interface Caller<R> {
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Answers `caller` for a fault as the failure mode says: `throw` rejects, `allow`/`deny` answer
 * with `fallback(allow)`.
 */
export function answerFault<R>(
  policy: FaultPolicy,
  caller: Caller<R>,
  error: unknown,
  fallback: (allow: boolean) => R,
): void {
  try {
    caller.resolve(policy.fail(error, fallback));
  } catch (typed) {
    caller.reject(typed);
  }
}

/** Collects one kind of call for the tick; subclasses say how one call, and several, are sent. */
export abstract class TickBatches<C> implements BatchContext {
  #calls: C[] = [];
  /** The deadline of the tick's first call: the earliest. */
  #deadline = 0;
  /** What the client prefixes keys with: slots are of the key as the server sees it. */
  readonly #keyPrefix: string;

  /**
   * @param maxCalls - The most calls one script carries: Redis runs a script to its end before
   *   anything else, so a larger tick is split.
   */
  constructor(
    readonly client: RedisScriptClient,
    readonly deadlines: Deadlines,
    readonly policy: FaultPolicy,
    readonly maxCalls: number,
  ) {
    this.#keyPrefix = client.keyPrefix ?? '';
  }

  /** The key `call` routes by (on a Cluster, all its keys are in that key's slot). */
  protected abstract keyOf(call: C): string;
  /** Sends one call alone, as its single script. */
  protected abstract sendOne(call: C, deadline: number): void;
  /** Sends several calls of one slot as one script. */
  protected abstract sendMany(calls: C[], deadline: number): void;

  /** Holds `call` until the end of the tick. */
  protected add(call: C, deadline: number): void {
    const calls = this.#calls;
    if (calls.length === 0) {
      this.#deadline = deadline;
      process.nextTick(this.#flush);
    }
    calls.push(call);
  }

  readonly #flush = (): void => {
    const calls = this.#calls;
    this.#calls = [];
    const deadline = this.#deadline;
    if (!this.client.isCluster || calls.length === 1) {
      this.#send(calls, deadline);
      return;
    }
    // A slot's one call, until a second one makes it a list.
    const slots = new Map<number, C | C[]>();
    for (const call of calls) {
      const slot = keySlot(this.#keyPrefix + this.keyOf(call));
      const seen = slots.get(slot);
      if (seen === undefined) slots.set(slot, call);
      else if (Array.isArray(seen)) seen.push(call);
      else slots.set(slot, [seen, call]);
    }
    for (const group of slots.values()) {
      if (Array.isArray(group)) this.#send(group, deadline);
      else this.sendOne(group, deadline);
    }
  };

  #send(calls: C[], deadline: number): void {
    const max = this.maxCalls;
    if (calls.length === 1) this.sendOne(calls[0]!, deadline);
    else if (calls.length <= max) this.sendMany(calls, deadline);
    else
      for (let from = 0; from < calls.length; from += max)
        this.#send(calls.slice(from, from + max), deadline);
  }
}
