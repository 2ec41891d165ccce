// One script call under its deadline, over any client adapter: `EVALSHA`; on `NOSCRIPT` (the
// script is not loaded on that server: first use, SCRIPT FLUSH, a restart, a failover) it did
// not run, so the script is loaded on the node that owns the key and the call goes again; a call
// the adapter says it never wrote goes again once the connection is ready. Nothing that may have
// run is ever sent again, and nothing is sent at or after the deadline: then the signal is
// aborted first (a queued command is dropped) and the caller answered second.
import type { Pending } from '../lib/deadlines.js';
import type { FaultPolicy } from '../lib/pending-call.js';
import {
  isNoScript,
  RateLimitNotSentError,
  RateLimitTimeoutError,
  RateLimitUnavailableError,
} from '../lib/errors.js';
import { companionsOf, type RedisScript } from './redis-scripts.js';
import type { RedisScriptClient, ScriptCall } from './script-client.js';

// A script cache can be lost again between the load and the call (a failover in between); past
// this many loads in one call the reply is passed on as the error it is.
const MAX_LOADS = 3;

const ignore = (): void => undefined;

/**
 * How a run answers: with the reply as is (a plain script call), or mapped into the caller's
 * result, faults going through the caller's failure mode (a limiter call: one promise per call).
 */
export interface RunOutcome<R> {
  readonly map: ((reply: unknown) => R) | undefined;
  readonly policy: FaultPolicy | undefined;
  readonly fallback: ((allow: boolean) => R) | undefined;
}

/** The outcome of a plain script call: the reply, or the fault as the adapter gave it. */
export const RAW_OUTCOME: RunOutcome<unknown> = { map: undefined, policy: undefined, fallback: undefined };

export class ScriptRun<R = unknown> implements ScriptCall, Pending {
  settled = false;
  readonly sha: string;
  #controller: AbortController | undefined;
  #loads = 0;
  /** Whether the latest attempt was handed to the adapter and has not answered yet. */
  #inFlight = false;
  /** The latest refusal of a command that was never written. */
  #refused: unknown;

  constructor(
    readonly client: RedisScriptClient,
    readonly script: RedisScript,
    readonly keys: readonly string[],
    readonly args: readonly string[],
    readonly deadline: number,
    readonly outcome: RunOutcome<R>,
    readonly resolve: (result: R) => void,
    readonly reject: (error: unknown) => void,
  ) {
    this.sha = script.sha;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Sends the call once the client is ready; settles with the reply or the fault. */
  send(): void {
    if (this.settled) return;
    if (performance.now() >= this.deadline) {
      this.#fail(this.#notSentInTime());
      return;
    }
    if (!this.client.isReady()) {
      this.#waitThen(() => this.send());
      return;
    }
    this.sendNow();
  }

  /**
   * Hands the call to the adapter now. Only for a caller that just saw the client ready and set a
   * deadline ahead (`RateLimiter#consume`); every other attempt goes through `send`.
   */
  sendNow(): void {
    const client = this.client;
    this.#inFlight = true;
    let reply: Promise<unknown>;
    try {
      reply = client.evalSha(this);
    } catch (error) {
      reply = Promise.reject(error);
    }
    reply.then(
      (value) => this.#done(value),
      (error: unknown) => this.#failed(error),
    );
  }

  timeout(): void {
    if (this.settled) return;
    this.#controller?.abort();
    this.#fail(
      this.#inFlight
        ? new RateLimitTimeoutError("Redis did not answer before the call's deadline (timeoutMs)")
        : this.#notSentInTime(),
    );
  }

  #done(value: unknown): void {
    if (this.settled) return;
    this.settled = true;
    const map = this.outcome.map;
    if (map === undefined) {
      this.resolve(value as R);
      return;
    }
    try {
      this.resolve(map(value));
    } catch (error) {
      this.reject(error);
    }
  }

  #failed(error: unknown): void {
    this.#inFlight = false;
    if (this.settled) return;
    if (isNoScript(error) && this.#loads < MAX_LOADS) {
      this.#loads++;
      this.#load();
    } else if (error instanceof RateLimitNotSentError || this.client.notSent?.(error) === true) {
      this.#refused = error;
      this.#waitThen(() => this.send());
    } else {
      this.#fail(error);
    }
  }

  #load(): void {
    if (performance.now() >= this.deadline) {
      this.#fail(this.#notSentInTime());
      return;
    }
    this.#inFlight = true;
    const key = this.keys[0] ?? '';
    this.client.scriptLoad(this.script.lua, key, this.deadline).then(
      () => {
        this.#inFlight = false;
        this.send();
      },
      (error: unknown) => this.#failed(error),
    );
    if (this.#loads === 1) {
      // The cache was lost for every script at once: the companions load too (nothing waits on
      // them; a failure only means that their next call meets NOSCRIPT itself).
      for (const companion of companionsOf(this.script)) {
        this.client.scriptLoad(companion.lua, key, this.deadline).catch(ignore);
      }
    }
  }

  /** Waits for the connection the call needs (at most until the deadline), then runs `next`. */
  #waitThen(next: () => void): void {
    this.client.whenReady(this.deadline, this.keys[0]).then(
      // A macrotask between attempts: an adapter that keeps refusing at once must not starve the
      // event loop (and with it the deadline timer).
      () => setImmediate(next),
      (error: unknown) =>
        this.#fail(
          error instanceof RateLimitUnavailableError
            ? error
            : new RateLimitUnavailableError(`Redis is unavailable: ${String(error)}`, { cause: error }),
        ),
    );
  }

  #fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    const { policy, fallback } = this.outcome;
    if (policy === undefined || fallback === undefined) {
      this.reject(error);
      return;
    }
    try {
      this.resolve(policy.fail(error, fallback));
    } catch (typed) {
      this.reject(typed);
    }
  }

  #notSentInTime(): RateLimitUnavailableError {
    return new RateLimitUnavailableError(
      `Redis is unavailable: the call was not sent before its deadline (the ${this.client.clientName} was not ready)`,
      { cause: this.#refused },
    );
  }
}
