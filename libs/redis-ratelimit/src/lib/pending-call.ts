// One call to a store that does not keep deadlines itself, as one small object instead of a
// handful of closures: it is the deadline entry, and it turns the reply (or the fault, or the
// timeout) into the answer.
import type { Pending } from './deadlines.js';

/** How faults become answers: the failure mode, and the error a timeout gives (`StoreCaller`). */
export interface FaultPolicy {
  fail<R>(error: unknown, fallback: (allow: boolean) => R): R;
  timeoutError(): Error;
}

export class PendingCall<T, R> implements Pending {
  settled = false;
  readonly deadline: number;
  readonly #caller: FaultPolicy;
  readonly #map: (value: T) => R;
  readonly #fallback: (allow: boolean) => R;
  readonly #resolve: (result: R) => void;
  readonly #reject: (error: unknown) => void;

  constructor(
    caller: FaultPolicy,
    deadline: number,
    map: (value: T) => R,
    fallback: (allow: boolean) => R,
    resolve: (result: R) => void,
    reject: (error: unknown) => void,
  ) {
    this.deadline = deadline;
    this.#caller = caller;
    this.#map = map;
    this.#fallback = fallback;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  done(value: T): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.#resolve(this.#map(value));
    } catch (error) {
      this.#reject(error);
    }
  }

  failed(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.#resolve(this.#caller.fail(error, this.#fallback));
    } catch (typed) {
      this.#reject(typed);
    }
  }

  timeout(): void {
    this.failed(this.#caller.timeoutError());
  }
}
