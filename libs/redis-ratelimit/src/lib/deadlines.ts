// Per-call deadlines without a timer per call: calls of one limiter share a timeout, so their
// deadlines arrive in order and one timer, armed for the oldest, serves them all. Settled calls
// are dropped from the front as new calls arrive. An out-of-order deadline gets its own timer.

/** A call that must settle by `deadline` (`performance.now()` ms) or be timed out. */
export interface Pending {
  readonly deadline: number;
  readonly settled: boolean;
  /** Called once at the deadline if still unsettled; must settle the call. */
  timeout(): void;
}

export class Deadlines {
  readonly #queue: Pending[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = 0;

  add(pending: Pending): void {
    const queue = this.#queue;
    // Calls mostly settle in order: dropping settled ones here keeps the queue about as long as
    // the number of calls in flight, so settled calls are not kept alive until the timer fires.
    let head = this.#head;
    while (head < queue.length && queue[head]!.settled) head++;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    this.#head = head;
    const last = queue[queue.length - 1];
    if (last && pending.deadline < last.deadline) {
      const timer = setTimeout(() => expire(pending), Math.max(0, pending.deadline - performance.now()));
      timer.unref?.();
      return;
    }
    queue.push(pending);
    if (this.#timer === undefined) this.#arm(pending.deadline);
  }

  #arm(deadline: number): void {
    this.#armedFor = deadline;
    this.#timer = setTimeout(this.#fire, Math.max(0, Math.ceil(deadline - performance.now())));
    // The client's socket keeps the process alive while a call is in flight; this timer must not.
    this.#timer.unref?.();
  }

  #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const p = queue[head]!;
      if (!p.settled) {
        if (p.deadline > now) break;
        expire(p);
      }
      head++;
    }
    if (head === queue.length) {
      queue.length = 0;
      this.#head = 0;
      return;
    }
    this.#head = head;
    const next = queue[head]!.deadline;
    this.#arm(next > this.#armedFor ? next : this.#armedFor + 1);
  };
}

function expire(pending: Pending): void {
  if (!pending.settled) pending.timeout();
}
