import { z } from 'zod';
import { backingServicesEnv } from './env-variables.js';

/** One seed node of a Redis Cluster, as `REDIS_CLUSTER_NODES` lists it. */
export interface RedisClusterNode {
  /** A host name, an IPv4 address, or an IPv6 address (without brackets). */
  readonly host: string;
  readonly port: number;
}

/**
 * Where an app finds Redis: one server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`,
 * with the credentials every node shares).
 */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly RedisClusterNode[];
      readonly username?: string;
      readonly password?: string;
      /** TLS to every node (`REDIS_CLUSTER_TLS=true`). */
      readonly tls: boolean;
    };

// `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. No scheme and no
// userinfo: credentials have their own variables, so the list can be logged.
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/;
const NODES_FORMAT = 'must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379';

/**
 * Parses `REDIS_CLUSTER_NODES`. The messages name the entry by its position, never its text (an
 * operator may have pasted a URL with a password).
 */
const clusterNodesVariable = z
  .string()
  .optional()
  .transform((value, ctx): readonly RedisClusterNode[] | undefined => {
    if (value === undefined) return undefined;
    const entries = value.split(',').map((entry) => entry.trim());
    const nodes: RedisClusterNode[] = [];
    for (const [index, entry] of entries.entries()) {
      const match = NODE.exec(entry);
      const port = Number(match?.[3]);
      if (match === null || port < 1 || port > 65_535) {
        const hint =
          entry.includes('://') || entry.includes('@')
            ? ' (no scheme, no credentials: use REDIS_CLUSTER_PASSWORD)'
            : '';
        ctx.addIssue({
          code: 'custom',
          message: `${NODES_FORMAT}; entry ${index + 1} is not host:port with a port from 1 to 65535${hint}`,
        });
        return z.NEVER;
      }
      nodes.push({ host: match[1] ?? match[2] ?? '', port });
    }
    const seen = new Set(nodes.map((node) => `${node.host}:${node.port}`));
    if (seen.size !== nodes.length) {
      ctx.addIssue({ code: 'custom', message: `${NODES_FORMAT}; an entry is listed twice` });
      return z.NEVER;
    }
    return nodes;
  });

/**
 * The Redis variables both apps read. All optional here: {@link checkRedisEnv} says how they
 * combine and each app says whether Redis is required.
 *
 * - `REDIS_URL`: one Redis server (`redis://` or `rediss://`, credentials in the URL).
 * - `REDIS_CLUSTER_NODES`: a Redis Cluster instead, as comma-separated `host:port` seed nodes
 *   (a few primaries are enough; the client discovers the rest).
 * - `REDIS_CLUSTER_USERNAME`, `REDIS_CLUSTER_PASSWORD`: the ACL user and password of every node.
 * - `REDIS_CLUSTER_TLS`: `true` to connect to every node over TLS.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...runtimeEnv, ...redisEnv }).superRefine((env, ctx) => checkRedisEnv(env, ctx));
 * ```
 */
export const redisEnv = {
  REDIS_URL: backingServicesEnv.REDIS_URL,
  REDIS_CLUSTER_NODES: clusterNodesVariable,
  REDIS_CLUSTER_USERNAME: z.string().optional(),
  REDIS_CLUSTER_PASSWORD: z.string().optional(),
  REDIS_CLUSTER_TLS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true'),
};

/** The Redis variables as {@link redisEnv} parses them (any of them may be missing or invalid). */
export interface RedisEnv {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: readonly RedisClusterNode[] | undefined;
  readonly REDIS_CLUSTER_USERNAME?: string | undefined;
  readonly REDIS_CLUSTER_PASSWORD?: string | undefined;
  readonly REDIS_CLUSTER_TLS?: boolean | undefined;
}

/**
 * The checks across the Redis variables: `REDIS_URL` and `REDIS_CLUSTER_NODES` are exclusive (one
 * server or one cluster, never a silent choice between two), the cluster's credentials and TLS
 * need the cluster, and, when `required` says what for, one of the two must be set. Run it with
 * `superRefine(…, { when: () => true })` so it reports beside the other variables' problems.
 *
 * @param env - The parsed values.
 * @param ctx - The zod refinement context.
 * @param required - What Redis is for, when the app cannot run without it.
 * @example
 * ```ts
 * z.object({ ...redisEnv }).superRefine((env, ctx) => checkRedisEnv(env, ctx, 'the job queues'), { when: () => true });
 * ```
 */
export function checkRedisEnv(env: RedisEnv, ctx: z.RefinementCtx, required?: string): void {
  const cluster = env.REDIS_CLUSTER_NODES !== undefined;
  if (env.REDIS_URL !== undefined && cluster) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_CLUSTER_NODES'],
      message:
        'cannot be set together with REDIS_URL: set REDIS_URL for one Redis server or REDIS_CLUSTER_NODES for a Redis Cluster',
    });
  }
  if (!cluster) {
    for (const name of ['REDIS_CLUSTER_USERNAME', 'REDIS_CLUSTER_PASSWORD'] as const) {
      if (env[name] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is only used with REDIS_CLUSTER_NODES' });
      }
    }
    if (env.REDIS_CLUSTER_TLS === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER_TLS'],
        message: 'is only used with REDIS_CLUSTER_NODES',
      });
    }
  }
  if (required !== undefined && env.REDIS_URL === undefined && !cluster) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: `is required (${required}), or REDIS_CLUSTER_NODES for a Redis Cluster`,
    });
  }
}

/**
 * Where the validated variables say Redis is, or `undefined` when neither `REDIS_URL` nor
 * `REDIS_CLUSTER_NODES` is set.
 *
 * @param env - Values that passed {@link checkRedisEnv}.
 * @returns The target.
 * @example
 * ```ts
 * redisTargetOf({ REDIS_CLUSTER_NODES: [{ host: '10.0.0.1', port: 6379 }] })?.kind; // 'cluster'
 * ```
 */
export function redisTargetOf(env: RedisEnv): RedisTarget | undefined {
  if (env.REDIS_CLUSTER_NODES !== undefined) {
    return {
      kind: 'cluster',
      nodes: env.REDIS_CLUSTER_NODES,
      ...(env.REDIS_CLUSTER_USERNAME === undefined ? {} : { username: env.REDIS_CLUSTER_USERNAME }),
      ...(env.REDIS_CLUSTER_PASSWORD === undefined ? {} : { password: env.REDIS_CLUSTER_PASSWORD }),
      tls: env.REDIS_CLUSTER_TLS === true,
    };
  }
  return env.REDIS_URL === undefined ? undefined : { kind: 'standalone', url: env.REDIS_URL };
}

/**
 * Where a target is, for a log line or an error message: the URL's host, or the cluster's seed
 * nodes. Never a credential.
 *
 * @param target - The target.
 * @returns E.g. `127.0.0.1:6379 (REDIS_URL)` or `10.0.0.1:6379,10.0.0.2:6379 (REDIS_CLUSTER_NODES)`.
 * @example
 * ```ts
 * throw new Error(`Redis is not reachable at ${describeRedisTarget(target)}`);
 * ```
 */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'standalone') return `${new URL(target.url).host} (REDIS_URL)`;
  const nodes = target.nodes.map(
    (node) => (node.host.includes(':') ? `[${node.host}]` : node.host) + `:${node.port}`,
  );
  return `${nodes.join(',')} (REDIS_CLUSTER_NODES)`;
}
