// What the node-redis adapter relies on, pinned for node-redis 6 and 5: the messages of a command
// refused unwritten, an abort that drops a queued command unwritten, the cluster's shape, and the
// client's `_keyPrefix`. See src/clients/node-redis/.
import { randomUUID } from 'node:crypto';
import * as redis6 from 'redis';
import * as redis5 from 'redis5';
import { describe, expect, it } from 'vitest';
import {
  isNodeRedis,
  isNodeRedisCluster,
  refusedUnwritten,
  type NodeRedisLike,
} from '../../src/clients/node-redis/node-redis-shape.js';
import { clusterNodes, redisUrl, sleep } from '../support/services.js';
import { sharedClusterNodes } from '../support/clients.js';

interface Client extends NodeRedisLike {
  on(event: 'error', listener: () => void): unknown;
  connect(): Promise<unknown>;
  destroy(): void;
  sendCommand(args: string[], options?: object): Promise<unknown>;
  get(key: string): Promise<string | null>;
}
interface Lib {
  createClient(options: object): Client;
  createCluster(options: object): NodeRedisLike & {
    on(event: 'error', listener: () => void): unknown;
    connect(): Promise<unknown>;
    destroy(): void;
  };
}

describe.each([
  ['node-redis 6', redis6 as unknown as Lib, 6],
  ['node-redis 5', redis5 as unknown as Lib, 5],
] as const)('%s internals the adapter relies on', (_name, lib, major) => {
  const client = (options: object = {}) => {
    const c = lib.createClient({ url: redisUrl, ...options });
    c.on('error', () => undefined);
    return c;
  };

  it('refuses unwritten commands with the messages the adapter knows', async () => {
    const closed = client();
    const notOpen = await closed.sendCommand(['PING']).catch((e: unknown) => e);
    expect(refusedUnwritten(notOpen)).toBe(true); // 'The client is closed'

    const offline = client({ disableOfflineQueue: true });
    const connecting = offline.connect();
    const refused = await offline.sendCommand(['PING']).catch((e: unknown) => e);
    expect(refusedUnwritten(refused)).toBe(true); // 'The client is offline'
    await connecting;
    offline.destroy();
  });

  it('an abort drops a command that is still queued: it is never written', async () => {
    const c = client();
    const key = `test:${randomUUID()}`;
    const connecting = c.connect(); // not ready yet: the command waits in the queue
    const controller = new AbortController();
    const queued = c.sendCommand(['SET', key, '1', 'PX', '10000'], { abortSignal: controller.signal });
    controller.abort();
    const error = await queued.catch((e: unknown) => e);
    expect(refusedUnwritten(error)).toBe(true); // 'The command was aborted'
    await connecting;
    await sleep(50);
    expect(await c.get(key)).toBeNull();
    c.destroy();
  });

  it('a client is recognised by shape; the keyPrefix option is `_keyPrefix` (node-redis 6)', () => {
    const c = client(major === 6 ? { keyPrefix: 'app:' } : {});
    expect(isNodeRedis(c)).toBe(true);
    expect(isNodeRedisCluster(c)).toBe(false);
    expect(c._keyPrefix).toBe(major === 6 ? 'app:' : undefined);
  });

  it.skipIf(!clusterNodes)('a cluster is recognised by shape (node-redis 5 has no isReady)', async () => {
    const cluster = lib.createCluster({
      rootNodes: sharedClusterNodes().map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
    cluster.on('error', () => undefined);
    await cluster.connect();
    expect(isNodeRedis(cluster)).toBe(true);
    expect(isNodeRedisCluster(cluster)).toBe(true);
    expect(typeof cluster.isReady).toBe(major === 6 ? 'boolean' : 'undefined');
    cluster.destroy();
  });
});
