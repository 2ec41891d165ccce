// Right after a Cluster client is `ready` only the node it discovered the cluster through is
// connected; the others connect on their first command, and without the offline queue ioredis
// refuses the commands that reach a node while it connects. Those were never written, so the
// store (through `callOnce` of @tses/redis-ratelimit) and the limiter wait for the node and send
// them: no one has to connect the nodes by hand first, and nothing counts twice.
import { randomUUID } from 'node:crypto';
import { rateLimitClusterOptions } from '@tses/redis-ratelimit';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Otp, RedisOtpStore } from '../src/index.js';
import {
  clusterStartupNodes,
  countBy,
  expectEveryKeyToExpire,
  keysUnder,
  SECRET,
  whenReady,
} from './helpers/backends.js';
import { redisLimiter } from './helpers/limiters.js';

describe.skipIf(!clusterStartupNodes)('Redis Cluster: a burst right after ready', () => {
  const prefix = `otp-test:${randomUUID()}:`;
  const clients: Cluster[] = [];

  /** An Otp on a new Cluster client, returned as soon as the client is `ready`. */
  async function freshOtp(): Promise<{ client: Cluster; otp: Otp }> {
    const client = new Cluster(clusterStartupNodes!, { ...rateLimitClusterOptions });
    client.on('error', () => undefined);
    clients.push(client);
    const otp = new Otp({
      serverSecret: SECRET,
      store: new RedisOtpStore(client),
      limiter: redisLimiter(client),
      keyPrefix: prefix,
    });
    await whenReady(client);
    // The burst must meet nodes that are not connected yet, or the test proves nothing.
    expect(client.nodes('master').filter((node) => node.status !== 'ready').length).toBeGreaterThan(0);
    return { client, otp };
  }

  afterAll(async () => {
    const client = clients[0];
    if (client) {
      await expectEveryKeyToExpire(client, prefix);
      for (const key of await keysUnder(client, prefix)) await client.del(key);
    }
    for (const c of clients) c.disconnect();
  });

  it('20 requests, then 20 wrong and 20 right verifies, each burst on a fresh client: no error', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `burst${i}@example.com`);

    const requesting = await freshOtp();
    const issued = await Promise.all(
      emails.map((email, i) => requesting.otp.request({ email, ip: `198.51.100.${i + 1}` })),
    );
    expect(countBy(issued)).toEqual({ issued: 20 });
    const codes = issued.map((r) => (r.status === 'issued' ? r.code : ''));
    // Each request counted exactly once against its email and its IP.
    for (const r of issued) {
      if (r.status !== 'issued') continue;
      expect(r.rateLimits.map((l) => l.decision.remaining)).toEqual([2, 9]);
    }

    const guessing = await freshOtp();
    const wrong = await Promise.all(
      emails.map((email, i) =>
        guessing.otp.verify({ email, otp: codes[i] === '000000' ? '000001' : '000000' }),
      ),
    );
    expect(countBy(wrong)).toEqual({ invalid: 20 });
    // One failure each, counted once: 4 attempts left everywhere.
    expect(wrong.map((r) => (r.status === 'invalid' ? r.attemptsRemaining : -1))).toEqual(Array(20).fill(4));

    const verifying = await freshOtp();
    const verified = await Promise.all(
      emails.map((email, i) => verifying.otp.verify({ email, otp: codes[i]! })),
    );
    expect(countBy(verified)).toEqual({ verified: 20 });
  });
});
