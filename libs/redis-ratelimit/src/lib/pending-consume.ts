// `consume` on any other store (memory, Cluster, a client with auto-pipelining; see
// redis-consume.ts for standalone Redis) as one small object instead of a handful of closures: it
// is the deadline entry, and it turns the reply (or the fault, or the timeout) into the decision.
import type { RateLimitDecision } from '../types.js';
import type { Pending } from './deadlines.js';
import { fallbackDecision } from './decisions.js';
import type { PreparedRule } from './prepared-rule.js';
import type { StoreCaller } from './store-caller.js';
import type { ConsumeReply } from './store.js';

export class PendingConsume implements Pending {
  settled = false;
  readonly deadline: number;
  readonly #rule: PreparedRule;
  readonly #caller: StoreCaller;
  readonly #resolve: (decision: RateLimitDecision) => void;
  readonly #reject: (error: unknown) => void;

  constructor(
    caller: StoreCaller,
    rule: PreparedRule,
    deadline: number,
    resolve: (decision: RateLimitDecision) => void,
    reject: (error: unknown) => void,
  ) {
    this.deadline = deadline;
    this.#caller = caller;
    this.#rule = rule;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  done(reply: ConsumeReply): void {
    if (this.settled) return;
    this.settled = true;
    this.#resolve(this.#rule.decide(reply));
  }

  failed(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.#resolve(this.#caller.fail(error, (allow) => fallbackDecision(this.#rule, allow)));
    } catch (typed) {
      this.#reject(typed);
    }
  }

  timeout(): void {
    this.failed(this.#caller.timeoutError());
  }
}
