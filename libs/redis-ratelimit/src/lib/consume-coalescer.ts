// Coalescing: the `consume` calls a limiter makes in one tick travel to Redis together, as one
// `consumeWindowsEach-n.lua` script per slot (one per tick on a standalone server), which runs
// each call exactly as `consumeWindow-1.lua` would and answers one reply per call. It is one
// EVALSHA through the client's adapter, so every client takes it as it is. On a Cluster, a slot
// with one call of the tick sends it as `consumeWindow-1.lua` (measured: with keys spread over
// many slots most ticks have one call per slot, and a script per call is then cheaper); the
// client writes a tick's commands for one node together (node-redis always; ioredis with
// `enableAutoPipelining`).
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

/** The calls of one tick (all of them, or those of one slot): the parallel lists of their parts. */
interface Calls {
  readonly keys: string[];
  readonly rules: PreparedRule[];
  readonly resolves: ((decision: RateLimitDecision) => void)[];
  readonly rejects: ((error: unknown) => void)[];
}

const noCalls = (): Calls => ({ keys: [], rules: [], resolves: [], rejects: [] });

/** Sends one call alone, as `consumeWindow-1.lua` (what `consume` does without coalescing). */
function sendOne(context: CoalescerContext, calls: Calls, i: number, deadline: number): void {
  const { client, deadlines, policy, shield } = context;
  const key = calls.keys[i]!;
  const rule = calls.rules[i]!;
  const run = new ScriptRun(
    client,
    SCRIPTS.consumeWindow,
    [key],
    rule.argv,
    deadline,
    consumeOutcome(key, rule, policy, shield),
    calls.resolves[i]!,
    calls.rejects[i]!,
  );
  deadlines.add(run);
  run.send();
}

/** Several calls of one slot as one `consumeWindowsEach-n.lua` call. */
class ConsumeBatch {
  /** When the batch was sent: before Redis ran it (what the shield counts a window's end from). */
  #sentAt = 0;

  constructor(
    readonly context: CoalescerContext,
    readonly calls: Calls,
  ) {}

  send(deadline: number): void {
    const { client, deadlines } = this.context;
    this.#sentAt = performance.now();
    const run = new ScriptRun(
      client,
      SCRIPTS.consumeWindowsEach,
      this.calls.keys,
      this.#argv(),
      deadline,
      RAW_OUTCOME,
      this.#settle,
      this.#fail,
    );
    deadlines.add(run);
    run.send();
  }

  /** Runs of consecutive calls with one rule: `limit, windowMs, countDenied, count` each. */
  #argv(): string[] {
    const rules = this.calls.rules;
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
    const { keys, rules, resolves, rejects } = this.calls;
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
    for (let i = 0; i < this.calls.keys.length; i++) this.#failOne(i, error);
  };

  /** Answers one caller as the failure mode says (`throw` rejects, `allow`/`deny` decide). */
  #failOne(i: number, error: unknown): void {
    try {
      this.calls.resolves[i]!(this.context.policy.fail(error, this.calls.rules[i]!.fallback));
    } catch (typed) {
      this.calls.rejects[i]!(typed);
    }
  }
}

/** Collects one limiter's `consume` calls of a tick, and sends them together at its end. */
export class ConsumeCoalescer implements CoalescerContext {
  #calls: Calls = noCalls();
  /** The deadline of the tick's first call: the earliest (one limiter, one timeout). */
  #deadline = 0;
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

  /** Counts one hit on `key` (fully prefixed) with the tick's other calls; settles like `consume`. */
  consume(key: string, rule: PreparedRule, deadline: number): Promise<RateLimitDecision> {
    return new Promise<RateLimitDecision>((resolve, reject) => {
      const calls = this.#calls;
      if (calls.keys.length === 0) {
        this.#deadline = deadline;
        process.nextTick(this.#flush);
      }
      calls.keys.push(key);
      calls.rules.push(rule);
      calls.resolves.push(resolve);
      calls.rejects.push(reject);
    });
  }

  readonly #flush = (): void => {
    const calls = this.#calls;
    this.#calls = noCalls();
    const deadline = this.#deadline;
    const count = calls.keys.length;
    if (count === 1) {
      sendOne(this, calls, 0, deadline);
    } else if (!this.client.isCluster) {
      if (count <= MAX_BATCH) new ConsumeBatch(this, calls).send(deadline);
      else
        for (let from = 0; from < count; from += MAX_BATCH)
          this.#batch(calls, from, from + MAX_BATCH, deadline);
    } else {
      this.#bySlot(calls, deadline);
    }
  };

  /** Calls `from` to `to` (exclusive) as one batch. */
  #batch(calls: Calls, from: number, to: number, deadline: number): void {
    const part: Calls = {
      keys: calls.keys.slice(from, to),
      rules: calls.rules.slice(from, to),
      resolves: calls.resolves.slice(from, to),
      rejects: calls.rejects.slice(from, to),
    };
    if (part.keys.length === 1) sendOne(this, part, 0, deadline);
    else new ConsumeBatch(this, part).send(deadline);
  }

  /** Cluster: one batch per slot with several calls; a slot's lone call goes alone. */
  #bySlot(calls: Calls, deadline: number): void {
    const prefix = this.#keyPrefix;
    // A slot's first call's index, until a second call makes it a batch.
    const slots = new Map<number, number | Calls>();
    for (let i = 0; i < calls.keys.length; i++) {
      const slot = keySlot(prefix + calls.keys[i]!);
      const seen = slots.get(slot);
      if (seen === undefined) {
        slots.set(slot, i);
        continue;
      }
      let group: Calls;
      if (typeof seen === 'number') {
        group = noCalls();
        push(group, calls, seen);
        slots.set(slot, group);
      } else {
        group = seen;
      }
      if (group.keys.length === MAX_BATCH) {
        new ConsumeBatch(this, group).send(deadline);
        group = noCalls();
        slots.set(slot, group);
      }
      push(group, calls, i);
    }
    for (const group of slots.values()) {
      if (typeof group === 'number') sendOne(this, calls, group, deadline);
      else if (group.keys.length === 1) sendOne(this, group, 0, deadline);
      else new ConsumeBatch(this, group).send(deadline);
    }
  }
}

function push(to: Calls, from: Calls, i: number): void {
  to.keys.push(from.keys[i]!);
  to.rules.push(from.rules[i]!);
  to.resolves.push(from.resolves[i]!);
  to.rejects.push(from.rejects[i]!);
}
