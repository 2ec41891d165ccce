// Coalesced `consumeAll`: the all-or-nothing calls of one tick for one slot go as one
// `consumeWindowGroups-n.lua`, which runs each call exactly as `consumeWindows-n.lua` would and
// answers one reply per call. tick-batches.ts holds the calls, groups them and keeps the
// deadlines. (A call whose keys are in different Cluster slots takes the compensating path
// instead, never this one.)
import { RAW_OUTCOME, ScriptRun } from '../redis/script-run.js';
import type { RedisScriptClient } from '../redis/script-client.js';
import type { Deadlines } from './deadlines.js';
import { RateLimitStoreError } from './errors.js';
import { SCRIPTS } from './limiter-scripts.js';
import type { FaultPolicy } from './pending-call.js';
import type { PreparedRule } from './prepared-rule.js';
import { answerFault, TickBatches, type Caller } from './tick-batches.js';

/** A batch of 256 calls of two rules runs in Redis in about half a millisecond. */
const MAX_CALLS = 256;

/** One `consumeAll` waiting for the end of its tick. */
interface ConsumeAllCall<R> extends Caller<R> {
  readonly keys: readonly string[];
  readonly rules: readonly PreparedRule[];
  /** Maps the call's `[n1, ttl1, n2, ttl2, …]` to its answer. */
  readonly map: (flat: readonly number[]) => R;
}

/** `consumeWindows-n.lua`'s three values per key. */
function pushArgs(argv: string[], rules: readonly PreparedRule[]): void {
  for (const rule of rules) argv.push(rule.argv[0]!, rule.argv[1]!, rule.countDenied ? '1' : '0');
}

/** Collects one limiter's `consumeAll` calls of a tick and sends them together. */
export class ConsumeAllCoalescer<R> extends TickBatches<ConsumeAllCall<R>> {
  constructor(client: RedisScriptClient, deadlines: Deadlines, policy: FaultPolicy) {
    super(client, deadlines, policy, MAX_CALLS);
  }

  /**
   * Counts one hit on every key (fully prefixed, on a Cluster all in one slot) or on none, with
   * the tick's other calls; settles with `map` of the reply, or as the failure mode says.
   */
  consumeAll(
    keys: readonly string[],
    rules: readonly PreparedRule[],
    map: (flat: readonly number[]) => R,
    fallback: (allow: boolean) => R,
    deadline: number,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.add({ keys, rules, map, fallback, resolve, reject }, deadline);
    });
  }

  protected keyOf(call: ConsumeAllCall<R>): string {
    return call.keys[0]!;
  }

  protected sendOne(call: ConsumeAllCall<R>, deadline: number): void {
    const argv: string[] = [];
    pushArgs(argv, call.rules);
    const outcome = { map: call.map as (reply: unknown) => R, policy: this.policy, fallback: call.fallback };
    const run = new ScriptRun(
      this.client,
      SCRIPTS.consumeWindows,
      call.keys,
      argv,
      deadline,
      outcome,
      call.resolve,
      call.reject,
    );
    this.deadlines.add(run);
    run.send();
  }

  protected sendMany(calls: ConsumeAllCall<R>[], deadline: number): void {
    const keys: string[] = [];
    const argv: string[] = [String(calls.length)];
    for (const call of calls) argv.push(String(call.keys.length));
    for (const call of calls) {
      for (const key of call.keys) keys.push(key);
      pushArgs(argv, call.rules);
    }
    const settle = (replies: unknown): void => {
      if (!Array.isArray(replies) || replies.length !== calls.length) {
        fail(
          new RateLimitStoreError(
            `Redis replied to ${SCRIPTS.consumeWindowGroups.id} with ${String(replies)}`,
          ),
        );
        return;
      }
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i]!;
        const reply: unknown = replies[i];
        if (typeof reply === 'string') {
          answerFault(this.policy, call, new RateLimitStoreError(`Redis replied with an error: ${reply}`));
          continue;
        }
        try {
          call.resolve(call.map(reply as readonly number[]));
        } catch (error) {
          call.reject(error);
        }
      }
    };
    const fail = (error: unknown): void => {
      for (const call of calls) answerFault(this.policy, call, error);
    };
    const run = new ScriptRun(
      this.client,
      SCRIPTS.consumeWindowGroups,
      keys,
      argv,
      deadline,
      RAW_OUTCOME,
      settle,
      fail,
    );
    this.deadlines.add(run);
    run.send();
  }
}
