// Coalesced `consume`: the calls of one tick for one slot go as one `consumeWindowsEach-n.lua`,
// which runs each call exactly as `consumeWindow-1.lua` would and answers one reply per call (one
// EVALSHA through the client's adapter, so every client takes it as it is). tick-batches.ts holds
// the calls, groups them and keeps the deadlines.
import { RAW_OUTCOME, ScriptRun } from '../redis/script-run.js';
import type { RedisScriptClient } from '../redis/script-client.js';
import type { RateLimitDecision } from '../types.js';
import type { Deadlines } from './deadlines.js';
import { RateLimitStoreError } from './errors.js';
import { SCRIPTS } from './limiter-scripts.js';
import type { FaultPolicy } from './pending-call.js';
import type { PreparedRule } from './prepared-rule.js';
import { consumeOutcome } from './redis-store.js';
import type { Shield } from './shield.js';
import { answerFault, TickBatches, type Caller } from './tick-batches.js';

/**
 * The most calls one script carries. Smaller batches let Redis run one while the client reads
 * the replies of the one before (measured at 256 in flight: 128 gave a third of 512's p99 for
 * about the same throughput).
 */
const MAX_CALLS = 128;

/** One `consume` waiting for the end of its tick. */
interface ConsumeCall extends Caller<RateLimitDecision> {
  readonly key: string;
  readonly rule: PreparedRule;
}

/** Runs of consecutive calls with one rule: `limit, windowMs, countDenied, count` each. */
function runsOf(calls: readonly ConsumeCall[]): string[] {
  const argv: string[] = [];
  let start = 0;
  for (let i = 1; i <= calls.length; i++) {
    const first = calls[start]!.rule;
    const rule = calls[i]?.rule;
    if (
      rule !== undefined &&
      (rule === first ||
        (rule.limit === first.limit &&
          rule.windowMs === first.windowMs &&
          rule.countDenied === first.countDenied))
    ) {
      continue;
    }
    argv.push(first.argv[0]!, first.argv[1]!, first.countDenied ? '1' : '0', String(i - start));
    start = i;
  }
  return argv;
}

/** Collects one limiter's `consume` calls of a tick and sends them together. */
export class ConsumeCoalescer extends TickBatches<ConsumeCall> {
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

  /** Counts one hit on `key` (fully prefixed) with the tick's other calls; settles like `consume`. */
  consume(key: string, rule: PreparedRule, deadline: number): Promise<RateLimitDecision> {
    return new Promise<RateLimitDecision>((resolve, reject) => {
      this.add({ key, rule, resolve, reject }, deadline);
    });
  }

  protected keyOf(call: ConsumeCall): string {
    return call.key;
  }

  protected sendOne(call: ConsumeCall, deadline: number): void {
    const { key, rule } = call;
    const outcome = consumeOutcome(key, rule, this.policy, this.#shield);
    const run = new ScriptRun(
      this.client,
      SCRIPTS.consumeWindow,
      [key],
      rule.argv,
      deadline,
      outcome,
      call.resolve,
      call.reject,
    );
    this.deadlines.add(run);
    run.send();
  }

  protected sendMany(calls: ConsumeCall[], deadline: number): void {
    const keys = calls.map((call) => call.key);
    // Before Redis runs the batch: what the shield counts a window's end from.
    const sentAt = performance.now();
    const settle = (replies: unknown): void => {
      if (!Array.isArray(replies) || replies.length !== calls.length) {
        fail(
          new RateLimitStoreError(
            `Redis replied to ${SCRIPTS.consumeWindowsEach.id} with ${String(replies)}`,
          ),
        );
        return;
      }
      const shield = this.#shield;
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i]!;
        const reply: unknown = replies[i];
        if (typeof reply === 'string') {
          answerFault(
            this.policy,
            call,
            new RateLimitStoreError(`Redis replied with an error: ${reply}`),
            call.rule.fallback,
          );
          continue;
        }
        let decision: RateLimitDecision;
        try {
          decision = call.rule.decide(reply as number);
        } catch (error) {
          call.reject(error);
          continue;
        }
        shield?.learn(call.key, call.rule.limit, sentAt, decision);
        call.resolve(decision);
      }
    };
    const fail = (error: unknown): void => {
      for (const call of calls) answerFault(this.policy, call, error, call.rule.fallback);
    };
    const run = new ScriptRun(
      this.client,
      SCRIPTS.consumeWindowsEach,
      keys,
      runsOf(calls),
      deadline,
      RAW_OUTCOME,
      settle,
      fail,
    );
    this.deadlines.add(run);
    run.send();
  }
}
