// The ioredis adapter writes the calls of one event-loop turn to the socket together (with or
// without `enableAutoPipelining`), also when each call comes from its own I/O or timer callback (an HTTP server
// handles each request in its own): one write for the turn, not one per callback.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter, rateLimitRedisOptions } from '../../src/index.js';
import { redisUrl, whenReady } from '../support/services.js';

type Writable = { _write: (...args: unknown[]) => unknown; _writev?: (...args: unknown[]) => unknown };

describe.each([true, false])(
  'ioredis adapter (enableAutoPipelining: %s): socket writes per event-loop turn',
  (auto) => {
    const redis = new Redis(redisUrl, { ...rateLimitRedisOptions, enableAutoPipelining: auto });
    afterAll(() => redis.disconnect());

    it('20 calls from 20 timer callbacks of one turn: one socket write, each call answered', async () => {
      await whenReady(redis);
      const prefix = `turn-writes:${randomUUID()}:`;
      const limiter = new RateLimiter({ redis, keyPrefix: prefix, failureMode: 'throw', timeoutMs: 2_000 });
      const rule = { limit: 5, windowMs: 10_000 };
      await limiter.consume('warm', rule); // scripts loaded, so each call below is one EVALSHA

      const stream = (redis as unknown as { stream: Writable }).stream;
      let writes = 0;
      const write = stream._write;
      const writev = stream._writev;
      stream._write = function (...args: unknown[]) {
        writes++;
        return write.apply(this, args);
      };
      if (writev !== undefined) {
        stream._writev = function (...args: unknown[]) {
          writes++;
          return writev.apply(this, args);
        };
      }
      try {
        // Timers due at once run in one timers phase, each followed by its own nextTick queue.
        const all = Promise.all(
          Array.from(
            { length: 20 },
            (_, i) =>
              new Promise<Awaited<ReturnType<RateLimiter['consume']>>>((resolve, reject) =>
                setTimeout(() => limiter.consume(`k${i}`, rule).then(resolve, reject), 0),
              ),
          ),
        );
        const due = performance.now() + 5;
        while (performance.now() < due); // every timer is due before the loop reaches the timers phase
        const decisions = await all;
        expect(decisions.map((d) => d.remaining)).toEqual(Array(20).fill(4));
        expect(writes).toBe(1);
      } finally {
        stream._write = write;
        if (writev !== undefined) stream._writev = writev;
        await Promise.all(
          ['warm', ...Array.from({ length: 20 }, (_, i) => `k${i}`)].map((k) => limiter.reset(k)),
        );
      }
    });
  },
);
