// Waiting for a node that is still connecting must never turn into a replay. On a private
// cluster: a node that stays unreachable longer than `timeoutMs` gives the typed error within the
// timeout and nothing is counted when it comes back; a command lost with its connection after it
// was written fails and is not sent again; a flushed script cache is reloaded without an error.
// The first block is ioredis's own ways to get there (lazy node connections, its offline queue);
// the second runs for every fully tested client.
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Lockout,
  RateLimitError,
  RateLimiter,
  RateLimitUnavailableError,
  rateLimitClusterOptions,
  type RedisClient,
} from '@tses/redis-ratelimit';
import { FULL_CLIENTS, type TestClient } from './support/clients.js';
import { PrivateCluster } from './support/private-cluster.js';
import { sleep, whenReady } from './support/services.js';

const TIMEOUT = 300;
// Generous slack for two shared cores; the point is "bounded by the timeout", not "instant".
const SLACK = 400;

let server: PrivateCluster;
beforeAll(async () => {
  server = await PrivateCluster.start();
}, 60_000);
afterAll(async () => server?.stop());

describe('Redis Cluster outage (private cluster), ioredis', () => {
  const clients: Cluster[] = [];
  const prefix = `test:${randomUUID()}:`;
  const rule = { limit: 5, windowMs: 60_000 };

  const connect = (
    startup = server.nodes,
    extra: { enableReadyCheck?: boolean; enableOfflineQueue?: boolean } = {},
  ) => {
    const client = new Cluster(startup, { ...rateLimitClusterOptions, ...extra });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const allReady = async (client: Cluster) => {
    for (let i = 0; i < 200; i++) {
      const masters = client.nodes('master');
      if (masters.length === 3 && masters.every((node) => node.status === 'ready')) return;
      await sleep(25);
    }
    throw new Error('the node connections did not open');
  };

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('a node unreachable for longer than timeoutMs: typed error in time, nothing counted later', async () => {
    const key = `unreachable:${randomUUID()}`;
    const port = await server.ownerOf(prefix + key);
    const setup = connect();
    await whenReady(setup);
    const limiter = (client: Cluster) =>
      new RateLimiter({ redis: client, keyPrefix: prefix, failureMode: 'throw', timeoutMs: TIMEOUT });
    expect((await limiter(setup).peek(key, rule)).remaining).toBe(5);

    server.pause(port);
    try {
      // A fresh client discovers the cluster through the other nodes (the Cluster's own ready
      // check would ask a random primary, possibly the frozen one, and wait for it).
      const others = server.nodes.filter((node) => node.port !== port);
      const client = connect(others, { enableReadyCheck: false });
      await whenReady(client);
      const started = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => limiter(client).consume(key, rule)),
      );
      expect(performance.now() - started).toBeLessThan(TIMEOUT + SLACK);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
      }
      const allow = await new RateLimiter({
        redis: client,
        keyPrefix: prefix,
        failureMode: 'allow',
        timeoutMs: TIMEOUT,
      }).consume(key, rule);
      expect(allow).toMatchObject({ allowed: true, remaining: 5 });
      // The node comes back, its connection opens: none of those calls may run now.
      server.resume(port);
      await allReady(client);
      await sleep(300);
      expect((await limiter(client).peek(key, rule)).remaining).toBe(5);
      expect((await limiter(client).consume(key, rule)).remaining).toBe(4);
      expect((await limiter(setup).peek(key, rule)).remaining).toBe(4);
    } finally {
      server.resume(port);
    }
  });

  it('a call queued by ioredis past its deadline is never written when the node comes back', async () => {
    const key = `queued:${randomUUID()}`;
    const port = await server.ownerOf(prefix + key);
    server.pause(port);
    try {
      // With the offline queue on, ioredis queues the command on the frozen node's connection
      // and would write it once the node answers again, long after the caller's timeout.
      const others = server.nodes.filter((node) => node.port !== port);
      const client = connect(others, { enableReadyCheck: false, enableOfflineQueue: true });
      await whenReady(client);
      const limiter = new RateLimiter({
        redis: client,
        keyPrefix: prefix,
        failureMode: 'throw',
        timeoutMs: TIMEOUT,
      });
      await expect(limiter.consume(key, rule)).rejects.toBeInstanceOf(RateLimitError);
      server.resume(port);
      await allReady(client);
      await sleep(300);
      expect((await limiter.peek(key, rule)).remaining).toBe(5);
    } finally {
      server.resume(port);
    }
  });
});

describe.each(FULL_CLIENTS)('Redis Cluster outage (private cluster), $name', (kind) => {
  let connection: TestClient;
  let client: RedisClient;
  const prefix = `test:${randomUUID()}:`;
  const rule = { limit: 5, windowMs: 60_000 };

  beforeAll(async () => {
    connection = await kind.cluster(server.nodes);
    client = connection.client;
  });
  afterAll(async () => connection?.close());

  it('a command lost with its connection after it was written fails and is not sent again', async () => {
    const key = `stalled:${randomUUID()}`;
    const port = await server.ownerOf(prefix + key);
    const limiter = new RateLimiter({
      redis: client,
      keyPrefix: prefix,
      failureMode: 'throw',
      timeoutMs: 2000,
    });
    await limiter.peek(key, rule);
    const admin = server.admin(port);
    try {
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE'); // scripts that write now wait
      const started = performance.now();
      const call = limiter.consume(key, rule).then(
        () => ({ error: undefined, ms: performance.now() - started }),
        (error: unknown) => ({ error, ms: performance.now() - started }),
      );
      await sleep(100); // written, waiting in the paused server
      // Drop the connection with the command unexecuted: ioredis rejects it with the same
      // "Connection is closed." as a command it never wrote; node-redis rejects it as written. It
      // must not be resent either way.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      const { error, ms } = await call;
      expect(error).toBeInstanceOf(RateLimitUnavailableError);
      expect(ms).toBeLessThan(1500); // failed when the connection closed, not at the 2 s deadline
      await admin.call('CLIENT', 'UNPAUSE');
      await sleep(300);
      expect((await limiter.peek(key, rule)).remaining).toBe(5);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });

  it('calls for a node that is down longer than timeoutMs: typed error in time, none written once it is back', async () => {
    // node-redis tries to reconnect every 1.5 s here: once after the node is back.
    const slowReconnect = await kind.cluster(server.nodes, { reconnectMs: 1500 });
    const key = `down:${randomUUID()}`;
    const port = await server.ownerOf(prefix + key);
    const limiter = new RateLimiter({
      redis: slowReconnect.client,
      keyPrefix: prefix,
      failureMode: 'throw',
      timeoutMs: TIMEOUT,
    });
    try {
      expect((await limiter.peek(key, rule)).remaining).toBe(5);
      await server.kill(port);
      // The Cluster stays ready; node-redis queues the node's commands while it cannot connect,
      // and ioredis refuses them: either way nothing is written, and nothing may be after the deadline.
      const started = performance.now();
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.consume(key, rule)));
      expect(performance.now() - started).toBeLessThan(TIMEOUT + SLACK);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
      }
      await server.restart(port);
      await sleep(1800); // the client has reconnected: a command it still held would be written now
      // The restarted node counts every command it receives (run or refused, e.g. CLUSTERDOWN
      // while it rejoins): none of those 20 calls may have reached it.
      const admin = server.admin(port);
      const stats = String(await admin.info('commandstats'));
      admin.disconnect();
      expect(stats).not.toMatch(/cmdstat_evalsha:/);
      const slow = new RateLimiter({
        redis: slowReconnect.client,
        keyPrefix: prefix,
        failureMode: 'throw',
        timeoutMs: 5000,
      });
      expect((await slow.peek(key, rule)).remaining).toBe(5);
      expect((await slow.consume(key, rule)).remaining).toBe(4);
    } finally {
      await slowReconnect.close();
    }
  }, 30_000);

  it('a flushed script cache on every node never surfaces an error', async () => {
    const limiter = new RateLimiter({ redis: client, keyPrefix: prefix, failureMode: 'throw' });
    const lockout = new Lockout({ redis: client, keyPrefix: prefix, failureMode: 'throw' });
    const items = ['email:f@example.com', 'ip:192.0.2.55'].map((key) => ({ key, rule }));
    expect((await limiter.consumeAll(items)).allowed).toBe(true);
    for (const port of server.ports) {
      const admin = server.admin(port);
      await admin.script('FLUSH');
      admin.disconnect();
    }
    expect((await limiter.consumeAll(items)).decisions.map((d) => d.remaining)).toEqual([3, 3]);
    expect((await limiter.consume('{t}:a', rule)).remaining).toBe(4);
    expect((await limiter.consumeAll(items.map(({ key }) => ({ key: `{t}:${key}`, rule })))).allowed).toBe(
      true,
    );
    expect((await lockout.fail('s', { maxFailures: 3, windowMs: 10_000 })).failures).toBe(1);
    await limiter.reset('{t}:a');
    expect((await limiter.peek('{t}:a', rule)).remaining).toBe(5);
  });
});
