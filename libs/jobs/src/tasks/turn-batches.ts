import type { JobsOptions } from 'bullmq';
import type { JobQueue, QueuedJob } from './task.js';

/** The batches of one kind of job: its name, payload version, size cap and options. */
export interface TurnBatchKind<Item> {
  readonly jobName: string;
  readonly version: number;
  readonly maxItems: number;
  readonly options: JobsOptions;
  /** The job data of a batch: `{ version, <field>: items }`. */
  readonly data: (version: number, items: readonly Item[]) => unknown;
}

interface Batch<Item> {
  readonly items: Item[];
  readonly added: Promise<QueuedJob>;
}

/**
 * The jobs of one kind that the calls of one event-loop turn share: {@link TurnBatches.add} puts an
 * item in the open batch of `queue` and returns the promise of that batch's one `queue.add`, made
 * at the end of the turn (`setImmediate`). An HTTP server handles each request in its own I/O
 * callback, but the requests whose Redis answers arrive in one read all continue in one turn, so
 * under load many share one add; alone, a request waits no longer than the turn.
 */
export class TurnBatches<Item> {
  readonly #kind: TurnBatchKind<Item>;
  readonly #open = new WeakMap<JobQueue, Batch<Item>>();

  /** @param kind - The job the batches become. */
  constructor(kind: TurnBatchKind<Item>) {
    this.#kind = kind;
  }

  /**
   * Adds `item` to the batch `queue` adds at the end of this turn.
   *
   * @param queue - The task's queue, as the publisher hands it to `enqueue` (one per publisher).
   * @param item - A validated item.
   * @returns The batch's job, once added; rejects as that add does.
   */
  add(queue: JobQueue, item: Item): Promise<QueuedJob> {
    const open = this.#open.get(queue);
    if (open !== undefined && open.items.length < this.#kind.maxItems) {
      open.items.push(item);
      return open.added;
    }
    const kind = this.#kind;
    const items = [item];
    const added = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (this.#open.get(queue) === batch) this.#open.delete(queue);
      return queue.add(kind.jobName, kind.data(kind.version, items), kind.options);
    });
    const batch: Batch<Item> = { items, added };
    this.#open.set(queue, batch);
    return added;
  }
}
