// Coalescing: the `consume` calls a limiter makes in one tick travel to Redis together, as one
// `consumeWindowsEach-n.lua` script per slot (one per tick on a standalone server), which runs
// each call exactly as `consumeWindow-1.lua` would and answers one reply per call. It is one
// EVALSHA through the client's adapter, so every client takes it as it is.
//
// A batch is one script call under the deadline of its first call (every call of a tick has the
// same timeout, so that is the earliest): nothing is written at or after it, each caller gets its
// timeout then even if the batch is still in flight, and a batch that may have run is never sent
// again (the script run's rules: only `NOSCRIPT` and a refusal before writing send it again, and
// only before the deadline). A batch of one call is sent as `consumeWindow-1.lua`.
import { RAW_OUTCOME, ScriptRun } from '../redis/script-run.js';
import type { RedisScriptClient } from '../redis/script-client.js';
import type { RateLimitDecision } from '../types.js';
import type { Deadlines } from './deadlines.js';
import { RateLimitStoreError } from './errors.js';
import { keySlot } from './key-slot.js';
import { SCRIPTS } from './limiter-scripts.js';
import type { FaultPolicy } from './pending-call.js';
import type { PreparedRule } from './prepared-rule.js';
import { consumeOutcome } from './redis-store.js';
import type { Shield } from './shield.js';

/**
 * The most calls one script carries: Redis runs a script to its end before anything else, so a
 * larger tick is split (a batch of 512 runs in about half a millisecond).
 */
const MAX_BATCH = 512;

/** What a batch needs from its limiter. */
interface CoalescerContext {
  readonly client: RedisScriptClient;
  readonly deadlines: Deadlines;
  readonly policy: FaultPolicy;
  readonly shield: Shield | undefined;
}

/** The calls of one tick for one slot, and then their one script call. */
class ConsumeBatch {
  readonly keys: string[] = [];
  readonly rules: PreparedRule[] = [];
  readonly resolves: ((decision: RateLimitDecision) => void)[] = [];
  readonly rejects: ((error: unknown) => void)[] = [];
  /** When the batch was sent: before Redis ran it (what the shield counts a window's end from). */
  #sentAt = 0;

  constructor(
    readonly context: CoalescerContext,
    readonly deadline: number,
  ) {}

  send(): void {
    const { client, deadlines, policy, shield } = this.context;
    this.#sentAt = performance.now();
    let run: ScriptRun<RateLimitDecision> | ScriptRun<unknown>;
    if (this.keys.length === 1) {
      const rule = this.rules[0]!;
      run = new ScriptRun(
        client,
        SCRIPTS.consumeWindow,
        this.keys,
        rule.argv,
        this.deadline,
        consumeOutcome(this.keys[0]!, rule, policy, shield),
        this.resolves[0]!,
        this.rejects[0]!,
      );
    } else {
      run = new ScriptRun(
        client,
        SCRIPTS.consumeWindowsEach,
        this.keys,
        this.#argv(),
        this.deadline,
        RAW_OUTCOME,
        this.#settle,
        this.#fail,
      );
    }
    deadlines.add(run);
    run.send();
  }

  /** Runs of consecutive calls with one rule: `limit, windowMs, countDenied, count` each. */
  #argv(): string[] {
    const rules = this.rules;
    const argv: string[] = [];
    let start = 0;
    for (let i = 1; i <= rules.length; i++) {
      const first = rules[start]!;
      const rule = rules[i];
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

  readonly #settle = (replies: unknown): void => {
    const { keys, rules, resolves, rejects } = this;
    if (!Array.isArray(replies) || replies.length !== keys.length) {
      this.#fail(
        new RateLimitStoreError(`Redis replied to ${SCRIPTS.consumeWindowsEach.id} with ${String(replies)}`),
      );
      return;
    }
    const shield = this.context.shield;
    for (let i = 0; i < keys.length; i++) {
      const reply: unknown = replies[i];
      const rule = rules[i]!;
      if (typeof reply === 'string') {
        this.#failOne(i, new RateLimitStoreError(`Redis replied with an error: ${reply}`));
        continue;
      }
      let decision: RateLimitDecision;
      try {
        decision = rule.decide(reply as number);
      } catch (error) {
        rejects[i]!(error);
        continue;
      }
      shield?.learn(keys[i]!, rule.limit, this.#sentAt, decision);
      resolves[i]!(decision);
    }
  };

  readonly #fail = (error: unknown): void => {
    for (let i = 0; i < this.keys.length; i++) this.#failOne(i, error);
  };

  /** Answers one caller as the failure mode says (`throw` rejects, `allow`/`deny` decide). */
  #failOne(i: number, error: unknown): void {
    try {
      this.resolves[i]!(this.context.policy.fail(error, this.rules[i]!.fallback));
    } catch (typed) {
      this.rejects[i]!(typed);
    }
  }
}

/** Collects one limiter's `consume` calls of a tick into batches, and sends them at its end. */
export class ConsumeCoalescer implements CoalescerContext {
  /** Batches of this tick, in the order they were opened. */
  #batches: ConsumeBatch[] = [];
  /** Standalone: the batch taking calls now. */
  #open: ConsumeBatch | undefined;
  /** Cluster: the batch taking calls now, per slot. */
  readonly #bySlot = new Map<number, ConsumeBatch>();
  /** What the client prefixes keys with: slots are of the key as the server sees it. */
  readonly #keyPrefix: string;

  constructor(
    readonly client: RedisScriptClient,
    readonly deadlines: Deadlines,
    readonly policy: FaultPolicy,
    readonly shield: Shield | undefined,
  ) {
    this.#keyPrefix = client.keyPrefix ?? '';
  }

  /** Counts one hit on `key` (fully prefixed) with the next batch; settles like `consume`. */
  consume(key: string, rule: PreparedRule, deadline: number): Promise<RateLimitDecision> {
    return new Promise<RateLimitDecision>((resolve, reject) => {
      const batch = this.#batchFor(key, deadline);
      batch.keys.push(key);
      batch.rules.push(rule);
      batch.resolves.push(resolve);
      batch.rejects.push(reject);
    });
  }

  #batchFor(key: string, deadline: number): ConsumeBatch {
    if (!this.client.isCluster) {
      let batch = this.#open;
      if (batch === undefined || batch.keys.length >= MAX_BATCH) {
        batch = this.#opened(deadline);
        this.#open = batch;
      }
      return batch;
    }
    const slot = keySlot(this.#keyPrefix + key);
    let batch = this.#bySlot.get(slot);
    if (batch === undefined || batch.keys.length >= MAX_BATCH) {
      batch = this.#opened(deadline);
      this.#bySlot.set(slot, batch);
    }
    return batch;
  }

  #opened(deadline: number): ConsumeBatch {
    const batch = new ConsumeBatch(this, deadline);
    if (this.#batches.length === 0) process.nextTick(this.#flush);
    this.#batches.push(batch);
    return batch;
  }

  readonly #flush = (): void => {
    const batches = this.#batches;
    this.#batches = [];
    this.#open = undefined;
    this.#bySlot.clear();
    for (const batch of batches) batch.send();
  };
}
