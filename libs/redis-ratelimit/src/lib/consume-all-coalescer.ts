// Coalesced `consumeAll`: the all-or-nothing calls of one tick for one slot go as one
// `consumeWindowGroups-n.lua`, which runs each call exactly as `consumeWindows-n.lua` would and
// answers one reply per call. tick-batches.ts holds the calls, groups them and keeps the
// deadlines. (A call whose keys are in different Cluster slots takes the compensating path
// instead, never this one.)
import { RAW_OUTCOME, ScriptRun } from '../redis/script-run.js';
import type { RedisScriptClient } from '../redis/script-client.js';
import type { RateLimitAllDecision, RateLimitItem } from '../types.js';
import type { Deadlines } from './deadlines.js';
import { consumeAllDecision, consumeAllFallback } from './decisions.js';
import { RateLimitStoreError } from './errors.js';
import { SCRIPTS } from './limiter-scripts.js';
import type { FaultPolicy } from './pending-call.js';
import type { PreparedRule } from './prepared-rule.js';
import type { Shield } from './shield.js';
import { answerFault, TickBatches, type Caller } from './tick-batches.js';

/**
 * As for `consume` (consume-coalescer.ts). Measured at 256 calls of two rules in flight: 128 per
 * script gave 6-14% more calls/s than one script per call and a lower p50, but a p99 of 7-9 ms
 * against 3-4 ms; 256 per script (one per tick there) kept the tail and lost the gain. Hence
 * `coalesce: 'all'` is opt-in, for those who want the throughput.
 */
const MAX_CALLS = 128;

/** One `consumeAll` waiting for the end of its tick. */
interface ConsumeAllCall extends Caller<RateLimitAllDecision> {
  readonly items: readonly RateLimitItem[];
  /** The items' keys, fully prefixed. */
  readonly keys: readonly string[];
  readonly rules: readonly PreparedRule[];
}

/** `consumeWindows-n.lua`'s three values per key. */
function pushArgs(argv: string[], rules: readonly PreparedRule[]): void {
  for (const rule of rules) argv.push(rule.argv[0]!, rule.argv[1]!, rule.countDenied ? '1' : '0');
}

/** Collects one limiter's `consumeAll` calls of a tick and sends them together. */
export class ConsumeAllCoalescer extends TickBatches<ConsumeAllCall> {
  /** The limiter's shield, if on: it learns from every decision. */
  readonly #shield: Shield | undefined;

  constructor(
    client: RedisScriptClient,
    deadlines: Deadlines,
    policy: FaultPolicy,
    shield: Shield | undefined,
  ) {
    super(client, deadlines, policy, MAX_CALLS);
    this.#shield = shield;
  }

  /**
   * Counts one hit on every key (fully prefixed; on a Cluster all in one slot) or on none, with
   * the tick's other calls; settles like `consumeAll`.
   */
  consumeAll(
    items: readonly RateLimitItem[],
    keys: readonly string[],
    rules: readonly PreparedRule[],
    deadline: number,
  ): Promise<RateLimitAllDecision> {
    return new Promise<RateLimitAllDecision>((resolve, reject) => {
      this.add({ items, keys, rules, resolve, reject }, deadline);
    });
  }

  protected keyOf(call: ConsumeAllCall): string {
    return call.keys[0]!;
  }

  protected sendOne(call: ConsumeAllCall, deadline: number): void {
    const argv: string[] = [];
    pushArgs(argv, call.rules);
    const sentAt = performance.now();
    const run = new ScriptRun(
      this.client,
      SCRIPTS.consumeWindows,
      call.keys,
      argv,
      deadline,
      RAW_OUTCOME,
      (reply: unknown) => this.#answer(call, reply as readonly number[], sentAt),
      (error: unknown) => this.#fault(call, error),
    );
    this.deadlines.add(run);
    run.send();
  }

  protected sendMany(calls: ConsumeAllCall[], deadline: number): void {
    const keys: string[] = [];
    const argv: string[] = [String(calls.length)];
    for (const call of calls) argv.push(String(call.keys.length));
    for (const call of calls) {
      for (const key of call.keys) keys.push(key);
      pushArgs(argv, call.rules);
    }
    const sentAt = performance.now();
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
        const reply: unknown = replies[i];
        if (typeof reply === 'string') {
          this.#fault(calls[i]!, new RateLimitStoreError(`Redis replied with an error: ${reply}`));
        } else {
          this.#answer(calls[i]!, reply as readonly number[], sentAt);
        }
      }
    };
    const fail = (error: unknown): void => {
      for (const call of calls) this.#fault(call, error);
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

  #answer(call: ConsumeAllCall, flat: readonly number[], sentAt: number): void {
    let decision: RateLimitAllDecision;
    try {
      decision = consumeAllDecision(call.items, call.rules, flat);
    } catch (error) {
      call.reject(error);
      return;
    }
    const shield = this.#shield;
    if (shield !== undefined) {
      for (let i = 0; i < call.keys.length; i++) {
        shield.learn(call.keys[i]!, call.rules[i]!.limit, sentAt, decision.decisions[i]!);
      }
    }
    call.resolve(decision);
  }

  #fault(call: ConsumeAllCall, error: unknown): void {
    answerFault(this.policy, call, error, (allow) => consumeAllFallback(call.items, call.rules, allow));
  }
}
