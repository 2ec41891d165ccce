// The publisher and the worker on a Redis Cluster, connected as the apps connect them
// (`REDIS_CLUSTER_NODES` + an ACL user and password): the queues under the hash tag `{prefix}`,
// every connection authenticated as that user (the producer's duplicate of a passed Cluster
// included), exactly one delivery, and a wrong password a fast `QueueUnavailableError`.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { RedisTarget } from '@tses/app-runtime';
import { createMemoryAuditStore } from '@tses/audit';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { deleteKeysMatching, keysMatching } from '../../../scripts/test-support/redis-keys.mjs';
import {
  bullmqPrefixFor,
  createBullmqJobPublisher,
  createRedisClient,
  OTP_EMAIL_QUEUE,
  QueueUnavailableError,
  startWorker,
} from '../src/index.js';
import { captureLogs } from './support/log-capture.js';
import { codeIn, recordingTransport } from './support/recording-transport.js';
import { eventually, randomKey, randomPrefix } from './support/services.js';

const { clusterNodes } = testServiceUrls();
const nodes = clusterNodes
  .split(',')
  .filter((entry) => entry !== '')
  .map((entry) => {
    const [host = '', port = ''] = entry.trim().split(':');
    return { host, port: Number(port) };
  });

describe.runIf(nodes.length > 0)('BullMQ on a Redis Cluster with an ACL user', () => {
  const user = `tses-jobs-${randomUUID().slice(0, 8)}`;
  const password = randomBytes(24).toString('base64url');
  const target: RedisTarget = { kind: 'cluster', nodes, username: user, password, tls: false };
  const prefix = randomPrefix();
  let admin: Cluster;

  /** `CLIENT LIST` of every primary, as `name=… user=…` pairs of this test's user. */
  async function clientsOfUser(): Promise<string[]> {
    const lines: string[] = [];
    for (const node of admin.nodes('master')) {
      const list = (await node.call('CLIENT', 'LIST')) as string;
      lines.push(...list.split('\n').filter((line) => line.includes(` user=${user} `)));
    }
    return lines.map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? '');
  }

  beforeAll(async () => {
    admin = new Cluster(nodes);
    await once(admin, 'ready');
    // ACL users are per node: the apps' user must exist on every primary.
    for (const node of admin.nodes('master')) {
      await node.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all');
    }
  });
  afterAll(async () => {
    await deleteKeysMatching(admin, `{${prefix}}:*`);
    for (const node of admin.nodes('master')) await node.call('ACL', 'DELUSER', user);
    await admin.quit();
  });

  it('delivers exactly once, under {prefix}, with every connection logged in as the user', async () => {
    const logs = captureLogs('warn');
    const key = randomKey();
    const transport = recordingTransport();
    // The API's way: its own Cluster client, duplicated by the publisher with producer settings.
    const api = createRedisClient(target, { name: 'tses-test-api', node: { maxRetriesPerRequest: 1 } });
    const publisher = createBullmqJobPublisher({
      connection: api,
      prefix,
      encryptionKey: key,
      logger: logs.logger,
    });
    // The worker's way: the target from its environment.
    const worker = startWorker({
      redis: target,
      prefix,
      auditStore: createMemoryAuditStore(),
      transport,
      encryptionKey: key,
      logger: logs.logger,
    });
    try {
      await worker.waitUntilReady();
      await publisher.sendOtpEmail({
        email: 'cluster@example.com',
        otp: '731902',
        expiresAt: new Date(Date.now() + 300_000),
      });
      await eventually(() => transport.sent.length === 1);
      expect(codeIn(transport.sent[0])).toBe('731902');

      expect(bullmqPrefixFor(prefix, api)).toBe(`{${prefix}}`);
      expect(await keysMatching(admin, `${prefix}:*`)).toEqual([]);
      expect((await keysMatching(admin, `{${prefix}}:${OTP_EMAIL_QUEUE}:*`)).length).toBeGreaterThan(0);

      const names = await clientsOfUser();
      expect(names).toEqual(expect.arrayContaining(['tses-test-api', 'tses-job-producer', 'tses-worker']));
      await new Promise((resolve) => setTimeout(resolve, 200)); // a second delivery would show by now
      expect(transport.sent).toHaveLength(1);
      expect(logs.entries().filter((entry) => Number(entry['level']) >= 50)).toEqual([]);
    } finally {
      await worker.close();
      await publisher.close();
      api.disconnect();
    }
  });

  it('a wrong password: a publish fails fast with QueueUnavailableError, naming no secret', async () => {
    const logs = captureLogs('silent');
    const publisher = createBullmqJobPublisher({
      redis: { ...target, password: 'not-the-password' },
      prefix,
      encryptionKey: randomKey(),
      logger: logs.logger,
      readyTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      const failure = await publisher
        .sendOtpEmail({ email: 'x@example.com', otp: '123456', expiresAt: new Date(Date.now() + 60_000) })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(QueueUnavailableError);
      expect(String((failure as Error).message)).not.toContain('not-the-password');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await publisher.close();
    }
  });
});
