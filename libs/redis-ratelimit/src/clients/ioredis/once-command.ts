// An ioredis `Command` that knows whether it may have run, so the adapter can tell a command
// ioredis refused before writing it (safe to send again) from one that reached a server (never
// sent again). ioredis gives both the same error: "Connection is closed." is what a Cluster says
// when the node a command routes to is still connecting (ioredis `cluster/index.js`,
// `tryConnection`: offline queue off and node status neither `ready` nor `wait`), and also what a
// node says when its socket closes, for the commands it had written (`redis/event_handler.js`,
// `closeHandler` → `flushQueue`) as for those still in its offline queue. What tells them apart is
// whether the command was ever serialised onto a socket: `toWritable` is that step (called only
// where `Redis#sendCommand` writes to the stream; ioredis's own `Script` hooks it the same way to
// choose EVAL or EVALSHA per socket). Pinned by test/clients/ioredis-internals.test.ts.
import { RateLimitNotSentError } from '../../lib/errors.js';
import {
  NOT_RUN_REPLY,
  refusedForConnection,
  type IoredisCommand,
  type IoredisCommandClass,
} from './ioredis-shape.js';

export type CommandArgument = string | number | Buffer;

/** What the adapter sets on each command. */
export interface OnceCommandOptions {
  readonly replyEncoding: 'utf8';
  readonly keyPrefix?: string;
  /** Route by this slot instead of the command's keys (`SCRIPT LOAD` has none). */
  readonly slot?: number;
  /** On a Cluster a `MOVED`/`ASK`/… reply makes ioredis write the command again. */
  readonly cluster: boolean;
}

/** A command the adapter sends. */
export interface OnceCommand extends IoredisCommand {
  /** `performance.now()` time from which the command must not be written any more. */
  readonly deadline: number;
  /** Written to a socket, and no reply has said that it did not run. */
  mayHaveRun: boolean;
}

export type OnceCommandClass = new (
  name: string,
  args: CommandArgument[],
  options: OnceCommandOptions,
  deadline: number,
) => OnceCommand;

const classes = new WeakMap<IoredisCommandClass, OnceCommandClass>();

/** The once-command class over one ioredis copy's `Command`. */
export function onceCommandClass(Base: IoredisCommandClass): OnceCommandClass {
  let OnceCommandClass = classes.get(Base);
  if (OnceCommandClass === undefined) {
    OnceCommandClass = defineOnceCommand(Base);
    classes.set(Base, OnceCommandClass);
  }
  return OnceCommandClass;
}

function defineOnceCommand(Base: IoredisCommandClass): OnceCommandClass {
  return class OnceCommand extends Base {
    readonly deadline: number;
    readonly #cluster: boolean;
    mayHaveRun = false;

    constructor(name: string, args: CommandArgument[], options: OnceCommandOptions, deadline: number) {
      super(name, args, options);
      this.deadline = deadline;
      this.#cluster = options.cluster;
      if (options.slot !== undefined) this.slot = options.slot;
      // Innermost: the final rejection (a Cluster wraps `reject` around this one for redirects;
      // it calls it detached, hence a closure rather than a method).
      const reject = this.reject;
      this.reject = (error: Error) => {
        reject(
          !this.mayHaveRun && refusedForConnection(error)
            ? new RateLimitNotSentError(`Redis is unavailable: ${error.message} (nothing was written)`, {
                cause: error,
              })
            : error,
        );
      };
    }

    override toWritable(socket: object): string | Buffer {
      if (performance.now() >= this.deadline) {
        // Still queued at its deadline (an offline queue, a delayed redirect): the caller has had
        // its answer, so the command must not run now. A PING keeps the reply order.
        const reject = this.reject;
        this.resolve = () =>
          reject(new RateLimitNotSentError('Redis is unavailable: the deadline passed while queued'));
        this.name = 'ping';
        this.args = [];
        return super.toWritable(socket);
      }
      this.mayHaveRun = true;
      if (this.#cluster) {
        // Outermost, installed per write: a reply that says the command did not run makes it
        // "never written" again until ioredis writes it again.
        const reject = this.reject;
        this.reject = (error: Error) => {
          if (NOT_RUN_REPLY.test(error.message)) this.mayHaveRun = false;
          reject(error);
        };
      }
      return super.toWritable(socket);
    }
  };
}
