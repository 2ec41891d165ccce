// An ioredis `Command` that knows whether it may have run, so call-once.ts can tell a command that
// ioredis refused before writing it (safe to send again) from one that reached a server (never
// sent again). ioredis gives both the same error: "Connection is closed." is what the Cluster says
// when the node a command routes to is still connecting (ioredis 6 `cluster/index.js`,
// `tryConnection`: offline queue off and node status neither `ready` nor `wait`), and also what a
// node says when its socket closes, for the commands it had written (`redis/event_handler.js`,
// `closeHandler` → `flushQueue`) as for those still in its offline queue. What tells them apart is
// whether the command was ever serialised onto a socket: `toWritable` is that step (called only
// where `Redis#sendCommand` writes to the stream; ioredis's own `Script` hooks it the same way to
// choose EVAL or EVALSHA per socket).
import type { Command } from 'ioredis';

type CommandClass = typeof Command;
export type CommandOptions = NonNullable<ConstructorParameters<CommandClass>[2]>;
export type CommandArgument = string | number | Buffer;

/** A command sent by call-once.ts. */
export interface OnceCommand extends Command {
  /** `performance.now()` time from which the command must not be written any more. */
  readonly deadline: number;
  /** Written to a socket, and no reply has said that it did not run. */
  readonly mayHaveRun: boolean;
  /** Reached a socket at or after its deadline, so a `PING` was written in its place. */
  readonly expired: boolean;
}

export type OnceCommandClass = new (
  name: string,
  args: CommandArgument[],
  options: CommandOptions,
  deadline: number,
) => OnceCommand;

// Replies that say the command did not run; ioredis sends the command again itself after the
// first four (to another node, or after a delay), and call-once.ts after NOSCRIPT (as EVAL).
const NOT_RUN = /^(?:MOVED|ASK|TRYAGAIN|CLUSTERDOWN|NOSCRIPT) /;

export function onceCommandClass(Base: CommandClass): OnceCommandClass {
  return class OnceCommand extends Base {
    readonly deadline: number;
    mayHaveRun = false;
    expired = false;

    constructor(name: string, args: CommandArgument[], options: CommandOptions, deadline: number) {
      super(name, args, options);
      this.deadline = deadline;
    }

    override toWritable(socket: object): string | Buffer {
      if (performance.now() >= this.deadline) {
        // Still queued at its deadline (a node's offline queue, a delayed redirect): the caller
        // has had its answer, so the command must not run now. A PING keeps the reply order.
        this.expired = true;
        this.name = 'ping';
        this.args = [];
        return super.toWritable(socket);
      }
      this.mayHaveRun = true;
      const reject = this.reject;
      this.reject = (error: Error) => {
        if (error.name === 'ReplyError' && NOT_RUN.test(error.message)) this.mayHaveRun = false;
        reject.call(this, error);
      };
      return super.toWritable(socket);
    }
  };
}
