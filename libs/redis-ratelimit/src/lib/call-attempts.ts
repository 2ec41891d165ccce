// One call's attempts (see call-once.ts): send the command; if ioredis refused it because its
// connection was not open (it was never written), wait for that connection and send it again; if
// the script was not loaded (NOSCRIPT: it did not run), send it as EVAL. A command that may have
// run is never sent again, and nothing is sent at or after the deadline. The first attempt on a
// ready client costs one object and one `then`; the waiting is off that path.
import type { Cluster, Redis } from 'ioredis';
import { nodeForSlot, waitFor } from './connection-waits.js';
import { RateLimitUnavailableError } from './errors.js';
import type { CommandArgument, CommandOptions, OnceCommand, OnceCommandClass } from './once-command.js';

/** A script defined on the client with `defineCommand` (fields of ioredis's `Script`). */
export interface DefinedScript {
  readonly lua: string;
  readonly sha: string;
  readonly numberOfKeys: number | null;
  readonly readOnly?: boolean;
}

/** How long to wait on a connecting node before looking at the slot map again. */
const NODE_RECHECK_MS = 100;
/** The pause before trying again when there is no connection to wait on. */
const RETRY_PAUSE_MS = 10;

// The errors ioredis 6 rejects a command with when no connection was open to write it to.
const NOT_CONNECTED = new Set([
  'Connection is closed.', // Cluster: node connecting or gone; a node's offline queue flushed
  "Cluster isn't ready and enableOfflineQueue options is false",
  "Stream isn't writeable and enableOfflineQueue options is false", // standalone, not connected
]);

const noop = (): void => undefined;

export class CallAttempts {
  #useEval = false;
  /** The last refusal of a command that was never written. */
  #refused: unknown;
  /** Why nothing was sent in time, should it come to that. */
  #late = 'the deadline had passed';

  constructor(
    readonly client: Redis | Cluster,
    readonly Command: OnceCommandClass,
    readonly options: CommandOptions,
    readonly command: string,
    readonly args: readonly CommandArgument[],
    readonly script: DefinedScript | undefined,
    readonly deadline: number,
  ) {}

  /** Sends the command (once the client is ready); settles with its reply or its fault. */
  run(): Promise<unknown> {
    const client = this.client;
    if (client.status !== 'ready') return this.#clientReady().then(() => this.run());
    if (performance.now() >= this.deadline) return Promise.reject(this.#notSent(this.#late));
    const script = this.script;
    const sent =
      script === undefined
        ? new this.Command(this.command, this.args.slice(), this.options, this.deadline)
        : new this.Command(
            this.#useEval ? 'eval' : 'evalsha',
            this.#scriptArgs(script),
            this.options,
            this.deadline,
          );
    client.sendCommand(sent);
    return sent.promise.then(
      (reply: unknown) => {
        if (sent.expired) throw this.#notSent('its connection was not open');
        return reply;
      },
      (error: unknown) => this.#failed(sent, error),
    );
  }

  #failed(sent: OnceCommand, error: unknown): Promise<unknown> {
    if (sent.expired) throw this.#notSent('its connection was not open');
    if (this.script !== undefined && !this.#useEval && isNoScript(error)) {
      // Not loaded on that node (first use, SCRIPT FLUSH, restart, failover): it did not run.
      this.#useEval = true;
      this.#late = 'the script had to be loaded';
      return this.run();
    }
    if (sent.mayHaveRun || !notConnected(error) || this.client.status === 'end') throw error;
    this.#refused = error;
    this.#late = 'its connection was not open';
    return this.#connectionFor(sent).then(() => this.run());
  }

  /** Waits for the client to be ready; rejects if it was closed or at the deadline. */
  async #clientReady(): Promise<void> {
    const client = this.client;
    while (client.status !== 'ready') {
      if (client.status === 'end') {
        throw new RateLimitUnavailableError('Redis is unavailable: the client was closed', {
          cause: this.#refused,
        });
      }
      if (performance.now() >= this.deadline) throw this.#notSent(`the client was ${client.status}`);
      if (client.status === 'wait') client.connect().catch(noop);
      await waitFor(client, this.deadline);
    }
  }

  /** Waits until a refused command is worth sending again (its node ready), at most a moment. */
  #connectionFor(sent: OnceCommand): Promise<void> {
    const client = this.client;
    const node = client.isCluster ? nodeForSlot(client as Cluster, sent.getSlot()) : undefined;
    if (node !== undefined && node.status !== 'ready') {
      // Never before the Cluster is ready (see warm-cluster.ts).
      if (node.status === 'wait' && client.status === 'ready') node.connect().catch(noop);
      return waitFor(node, Math.min(this.deadline, performance.now() + NODE_RECHECK_MS));
    }
    // Nothing to wait on (no node for the slot right now, the client reconnecting, or a refusal
    // by another node, e.g. the target of an ASK): look again shortly.
    return waitFor(undefined, Math.min(this.deadline, performance.now() + RETRY_PAUSE_MS));
  }

  #scriptArgs(script: DefinedScript): CommandArgument[] {
    const head = this.#useEval ? script.lua : script.sha;
    return typeof script.numberOfKeys === 'number'
      ? [head, script.numberOfKeys, ...this.args]
      : [head, ...this.args];
  }

  #notSent(why: string): RateLimitUnavailableError {
    return new RateLimitUnavailableError(
      `Redis is unavailable: the command was not sent before its deadline (${why})`,
      { cause: this.#refused },
    );
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

function notConnected(error: unknown): boolean {
  return (
    error instanceof Error && (NOT_CONNECTED.has(error.message) || error.name === 'MaxRetriesPerRequestError')
  );
}
