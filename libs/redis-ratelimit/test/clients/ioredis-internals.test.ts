// What the ioredis adapter relies on that is not documented ioredis API, pinned for each copy it
// supports (ioredis 6, ioredis 5, iovalkey): if a release changes one of these, this file fails
// before a guarantee silently does. See src/clients/ioredis/.
import { randomUUID } from 'node:crypto';
import * as ioredis6 from 'ioredis';
import * as ioredis5 from 'ioredis5';
import * as iovalkey from 'iovalkey';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commandClassOf,
  refusedForConnection,
  type IoredisLike,
} from '../../src/clients/ioredis/ioredis-shape.js';
import { onceCommandClass } from '../../src/clients/ioredis/once-command.js';
import { keySlot } from '../../src/lib/key-slot.js';
import { clusterNodes, redisUrl, sleep } from '../support/services.js';
import { sharedClusterNodes } from '../support/clients.js';

interface Family {
  readonly Redis: new (
    url: string,
    options?: object,
  ) => IoredisLike & { disconnect(): void; get(k: string): Promise<string | null> };
  readonly Cluster: new (nodes: object[], options?: object) => IoredisLike & { disconnect(): void };
  readonly Command: unknown;
}

const families: [string, Family][] = [
  ['ioredis 6', ioredis6 as unknown as Family],
  ['ioredis 5', ioredis5 as unknown as Family],
  ['iovalkey', iovalkey as unknown as Family],
];

const ready = async (client: { status: string }) => {
  for (let i = 0; i < 500 && client.status !== 'ready'; i++) await sleep(10);
};

describe.each(families)('%s internals the adapter relies on', (_name, lib) => {
  const opened: { disconnect(): void }[] = [];
  const open = <T extends { disconnect(): void; on?(e: string, l: () => void): unknown }>(client: T): T => {
    client.on?.('error', () => undefined);
    opened.push(client);
    return client;
  };
  afterAll(() => opened.forEach((client) => client.disconnect()));

  it('the Command class is found from a client (Redis.Command), and finding it sends nothing', async () => {
    const client = open(new lib.Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false }));
    expect(commandClassOf(client)).toBe(lib.Command);
    expect(client.status).toBe('wait'); // nothing was sent: a command would have connected it
    expect(Object.hasOwn(client, 'sendCommand')).toBe(false); // the stub is gone
  });

  it('toWritable is called when, and only when, a command is written to a socket', async () => {
    const Once = onceCommandClass(commandClassOf(open(new lib.Redis(redisUrl, { lazyConnect: true })))!);
    const client = open(
      new lib.Redis(redisUrl, { enableOfflineQueue: false, autoResendUnfulfilledCommands: false }),
    );
    await ready(client);
    const key = `test:${randomUUID()}`;
    const written = new Once(
      'set',
      [key, '1', 'PX', 10_000],
      { replyEncoding: 'utf8', cluster: false },
      performance.now() + 5000,
    );
    client.sendCommand(written as never);
    expect(written.mayHaveRun).toBe(true); // serialised synchronously by sendCommand
    await written.promise;
    expect(await client.get(key)).toBe('1');

    const late = new Once(
      'set',
      [`${key}:late`, '1', 'PX', 10_000],
      { replyEncoding: 'utf8', cluster: false },
      performance.now() - 1,
    );
    client.sendCommand(late as never);
    await expect(late.promise).rejects.toThrow(/deadline passed while queued/); // a PING went instead
    expect(await client.get(`${key}:late`)).toBeNull();
  });

  it('a standalone client refuses unwritten commands with the messages the adapter knows', async () => {
    const Once = onceCommandClass(commandClassOf(open(new lib.Redis(redisUrl, { lazyConnect: true })))!);
    const client = open(new lib.Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false }));
    client.connect().catch(() => undefined);
    const refused = new Once('ping', [], { replyEncoding: 'utf8', cluster: false }, performance.now() + 5000);
    client.sendCommand(refused as never); // connecting: the stream is not writable yet
    const error = await refused.promise.catch((e: unknown) => e);
    expect(refused.mayHaveRun).toBe(false);
    expect((error as Error).name).toBe('RateLimitNotSentError');
    expect(refusedForConnection((error as Error).cause)).toBe(true);
    client.disconnect();
    await sleep(20);
    const ended = new Once('ping', [], { replyEncoding: 'utf8', cluster: false }, performance.now() + 5000);
    client.sendCommand(ended as never);
    expect(((await ended.promise.catch((e: unknown) => e)) as Error).cause).toMatchObject({
      message: 'Connection is closed.',
    });
  });

  it('a ready standalone client exposes its socket as `stream` (corked for auto-pipelining)', async () => {
    const client = open(new lib.Redis(redisUrl, { enableOfflineQueue: false }));
    await ready(client);
    const stream = (client as unknown as { stream: { cork(): void; uncork(): void; writable: boolean } })
      .stream;
    expect(typeof stream.cork).toBe('function');
    expect(typeof stream.uncork).toBe('function');
    expect(stream.writable).toBe(true);
  });

  it.skipIf(!clusterNodes)(
    'a Cluster maps slots to "host:port" and lists its primaries with those options',
    async () => {
      const cluster = open(new lib.Cluster(sharedClusterNodes(), { enableOfflineQueue: false }));
      await ready(cluster);
      const slot = keySlot(`{${randomUUID()}}`);
      const address = cluster.slots![slot]![0]!;
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      const nodes = cluster.nodes!('master');
      expect(nodes.some((node) => `${node.options.host}:${node.options.port}` === address)).toBe(true);
      // A command with a preset slot is routed by it (SCRIPT LOAD has no key).
      const Once = onceCommandClass(commandClassOf(cluster)!);
      const load = new Once(
        'script',
        ['load', 'return 1'],
        { replyEncoding: 'utf8', cluster: true, slot },
        performance.now() + 5000,
      );
      cluster.sendCommand(load as never);
      expect(await load.promise).toMatch(/^[0-9a-f]{40}$/);
    },
  );
});
