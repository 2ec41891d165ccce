// `consume` on a standalone ioredis client: the call a service makes on every request.
// The method `defineCommand` creates costs about 0.7 µs of CPU per call more than sending the same
// EVALSHA as an ioredis `Command` (rest arguments, two array copies, a `.catch` promise for
// NOSCRIPT, a closure per write), a tenth of a call's CPU (issue 2 §3, README "Benchmark"). So
// this path sends the `Command` itself and treats NOSCRIPT as ioredis does: the script did not
// run, so the call goes again through the defined command, which loads it (EVAL). Cluster
// clients go through RedisStore (which waits for a node still connecting: call-once.ts);
// auto-pipelining and friendly error stacks keep the defined command, and so do `peek`,
// `refund`, `consumeAll` and the lockout, which are not per-request hot paths.
import type { Cluster, Command, Redis } from 'ioredis';
import type { RateLimitDecision } from '../types.js';
import type { Pending } from './deadlines.js';
import { ioredisModule } from './ioredis-module.js';
import type { CommandOptions } from './once-command.js';
import type { PreparedRule } from './prepared-rule.js';
import { scriptSha } from './script-loader.js';
import type { StoreCaller } from './store-caller.js';
import type { ConsumeReply } from './store.js';

/** An EVALSHA that is its own deadline entry: one object per call, no timer, no extra closure. */
interface ConsumeCommand extends Command, Pending {}
type ConsumeCommandClass = new (
  args: string[],
  options: CommandOptions,
  deadline: number,
  caller: StoreCaller,
) => ConsumeCommand;

function consumeCommandClass(Base: typeof Command): ConsumeCommandClass {
  return class ConsumeCommand extends Base implements Pending {
    readonly deadline: number;
    readonly #caller: StoreCaller;

    constructor(args: string[], options: CommandOptions, deadline: number, caller: StoreCaller) {
      super('evalsha', args, options);
      this.deadline = deadline;
      this.#caller = caller;
    }

    get settled(): boolean {
      return this.isSettled;
    }

    timeout(): void {
      // As ioredis's own `commandTimeout` does: the caller is answered now, a late reply is dropped.
      this.reject(this.#caller.timeoutError());
    }
  };
}

// Used only for clients of the ioredis copy beside this package (see ioredis-module.ts).
let ioredis:
  { readonly Redis: typeof Redis; readonly ConsumeCommand: ConsumeCommandClass } | null | undefined;
function loadIoredis(): typeof ioredis {
  if (ioredis === undefined) {
    const lib = ioredisModule();
    ioredis = lib ? { Redis: lib.Redis, ConsumeCommand: consumeCommandClass(lib.Command) } : null;
  }
  return ioredis;
}

/** Sends `consumeWindow` EVALSHAs on one standalone client, under the caller's deadlines. */
export class RedisConsume {
  readonly #client: Redis;
  readonly #caller: StoreCaller;
  readonly #Command: ConsumeCommandClass;
  readonly #options: CommandOptions;
  readonly #sha = scriptSha('consumeWindow');

  private constructor(client: Redis, caller: StoreCaller, ConsumeCommand: ConsumeCommandClass) {
    this.#client = client;
    this.#caller = caller;
    this.#Command = ConsumeCommand;
    // No reply encoding: the reply is an integer (or an array of two), nothing to decode.
    const { keyPrefix } = client.options;
    this.#options = keyPrefix ? { replyEncoding: null, keyPrefix } : { replyEncoding: null };
  }

  /** The fast path for `client`, or `undefined` when it must keep the defined command. */
  static for(client: Redis | Cluster, caller: StoreCaller): RedisConsume | undefined {
    const lib = client.isCluster ? null : loadIoredis();
    if (!lib || !(client instanceof lib.Redis)) return undefined;
    const { enableAutoPipelining, showFriendlyErrorStack } = client.options;
    if (enableAutoPipelining || showFriendlyErrorStack) return undefined;
    return new RedisConsume(client, caller, lib.ConsumeCommand);
  }

  /** Whether the connection is up (otherwise the caller waits for it, and never queues a hit). */
  get ready(): boolean {
    return this.#client.status === 'ready';
  }

  /** One `consumeWindow` call for the prefixed `fullKey`; faults go through the failure mode. */
  consume(fullKey: string, rule: PreparedRule): Promise<RateLimitDecision> {
    const caller = this.#caller;
    const argv = rule.argv;
    const args =
      argv.length === 2 ? [this.#sha, '1', fullKey, argv[0]!, argv[1]!] : [this.#sha, '1', fullKey, ...argv];
    const command = new this.#Command(args, this.#options, performance.now() + caller.timeoutMs, caller);
    caller.deadlines.add(command);
    this.#client.sendCommand(command);
    return (command.promise as Promise<ConsumeReply>).then(rule.decide, (error: unknown) =>
      this.#failed(error, command, fullKey, rule),
    );
  }

  #failed(
    error: unknown,
    command: ConsumeCommand,
    fullKey: string,
    rule: PreparedRule,
  ): RateLimitDecision | Promise<RateLimitDecision> {
    const caller = this.#caller;
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
      // Not loaded on this server (first use, SCRIPT FLUSH, restart, failover): it did not
      // run. The defined command loads it; the retry keeps this call's deadline.
      const retry = caller.store.consumeWindow(fullKey, rule.limit, rule.windowMs, rule.countDenied);
      return caller.settle(retry, command.deadline, rule.decide, rule.fallback);
    }
    return caller.fail(error, rule.fallback);
  }
}
