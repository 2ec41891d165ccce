import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppConfigError,
  checkRedisEnv,
  describeRedisTarget,
  loadEnv,
  redisEnv,
  redisTargetOf,
  runtimeEnv,
  type Environment,
} from '../src/index.js';

const required = z
  .object({ ...runtimeEnv, ...redisEnv })
  .superRefine((env, ctx) => checkRedisEnv(env, ctx, 'the job queues'), { when: () => true });
const optional = z.object({ ...redisEnv }).superRefine((env, ctx) => checkRedisEnv(env, ctx));

function problems(env: Environment, schema: z.ZodType = required): readonly string[] {
  try {
    loadEnv(schema, env);
    return [];
  } catch (error) {
    if (error instanceof AppConfigError) return error.problems;
    throw error;
  }
}

describe('REDIS_CLUSTER_NODES and the Redis target', () => {
  it('parses host:port seed nodes (names, IPv4, bracketed IPv6; blanks around entries ignored)', () => {
    const env = loadEnv(required, {
      REDIS_CLUSTER_NODES: ' redis-0.redis:6379, 10.0.0.2:7001 ,[::1]:7002',
      REDIS_CLUSTER_USERNAME: 'tses',
      REDIS_CLUSTER_PASSWORD: 'hunter2-hunter2',
    });
    const target = redisTargetOf(env);
    expect(target).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-0.redis', port: 6379 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: 'tses',
      password: 'hunter2-hunter2',
      tls: false,
    });
    expect(describeRedisTarget(target!)).toBe(
      'redis-0.redis:6379,10.0.0.2:7001,[::1]:7002 (REDIS_CLUSTER_NODES)',
    );
    expect(
      redisTargetOf(loadEnv(required, { REDIS_CLUSTER_NODES: 'a:1', REDIS_CLUSTER_TLS: 'true' })),
    ).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 1 }], tls: true });
  });

  it('one server with REDIS_URL; nothing set is no target (the app decides whether that is allowed)', () => {
    const standalone = redisTargetOf(loadEnv(required, { REDIS_URL: 'redis://:pw@127.0.0.1:6379' }));
    expect(standalone).toEqual({ kind: 'standalone', url: 'redis://:pw@127.0.0.1:6379' });
    expect(describeRedisTarget(standalone!)).toBe('127.0.0.1:6379 (REDIS_URL)');
    expect(redisTargetOf(loadEnv(optional, {}))).toBeUndefined();
    expect(redisTargetOf(loadEnv(optional, { REDIS_CLUSTER_NODES: ' ' }))).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', 1],
    ['127.0.0.1:6379,', 2],
    ['127.0.0.1:0', 1],
    ['127.0.0.1:65536', 1],
    ['a:1,b:two', 2],
    ['::1:7000', 1],
    ['a:1;b:2', 1],
  ])('refuses %j, naming the entry by its position', (value, entry) => {
    expect(problems({ REDIS_CLUSTER_NODES: value })).toEqual([
      `REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; entry ${entry} is not host:port with a port from 1 to 65535`,
    ]);
  });

  it('never repeats an entry that carries credentials, and says where they go', () => {
    const found = problems({ REDIS_CLUSTER_NODES: 'redis://admin:s3cret-pw@10.0.0.1:6379' });
    expect(found).toEqual([
      'REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; entry 1 is not host:port with a port from 1 to 65535 (no scheme, no credentials: use REDIS_CLUSTER_PASSWORD)',
    ]);
    expect(found.join('\n')).not.toContain('s3cret');
  });

  it('refuses a node listed twice', () => {
    expect(problems({ REDIS_CLUSTER_NODES: 'a:1,b:2,a:1' })).toEqual([
      'REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; an entry is listed twice',
    ]);
  });

  it('one server or one cluster: both set is an error, never a silent choice', () => {
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'a:1' })).toEqual([
      'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL: set REDIS_URL for one Redis server or REDIS_CLUSTER_NODES for a Redis Cluster',
    ]);
  });

  it('the cluster credentials and TLS need the cluster; TLS is true or false', () => {
    expect(
      [
        ...problems({
          REDIS_URL: 'redis://127.0.0.1:6379',
          REDIS_CLUSTER_USERNAME: 'u',
          REDIS_CLUSTER_PASSWORD: 'p',
          REDIS_CLUSTER_TLS: 'true',
        }),
      ].sort(),
    ).toEqual([
      'REDIS_CLUSTER_PASSWORD: is only used with REDIS_CLUSTER_NODES',
      'REDIS_CLUSTER_TLS: is only used with REDIS_CLUSTER_NODES',
      'REDIS_CLUSTER_USERNAME: is only used with REDIS_CLUSTER_NODES',
    ]);
    expect(problems({ REDIS_CLUSTER_NODES: 'a:1', REDIS_CLUSTER_TLS: 'yes' })).toEqual([
      'REDIS_CLUSTER_TLS: must be true or false',
    ]);
  });

  it('a required Redis names both ways to give it, beside every other problem', () => {
    expect([...problems({ LOG_LEVEL: 'loud' })].sort()).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      'REDIS_URL: is required (the job queues), or REDIS_CLUSTER_NODES for a Redis Cluster',
    ]);
  });
});
