// The scenarios and their contenders, per client. Every contender has its own connection, created
// like the others of its client, and its own key prefix; all of a scenario use the same keys, load
// and rule.
//   allowed     10,000 keys, a limit never reached: every call is counted (the request path)
//   denied      100 keys exhausted by the warm-up: every call is denied (a flood of refusals)
//   two rules   consumeAll over two keys per call (10,000 pairs), all-or-nothing, never reached
//   latency     the allowed path at 1 and 16 calls in flight: what coalescing costs a lone call
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import type {
  RateLimitAllDecision,
  RateLimitDecision,
  RateLimiter,
  RedisClient,
} from '@tses/redis-ratelimit';
import type { Contender, Outcome } from './measure.ts';
import type { Ratio } from './report.ts';

export interface Scenario {
  readonly name: string;
  readonly ops: number;
  readonly concurrency: number;
  readonly expected: Outcome;
  readonly contenders: Contender[];
  readonly ratios: Ratio[];
}

/** One client library's way to make the contenders' connections. */
export interface ClientSetup {
  readonly client: 'ioredis' | 'node-redis';
  /** A new connection, as an application creates it for the limiter. */
  connect(): Promise<RedisClient>;
  /** Bare `EVALSHA sha keys… args…` on a new connection of its own, one command per call. */
  bare(lua: string): Promise<(keys: string[], args: string[]) => Promise<unknown>>;
  /** rate-limiter-flexible's store options for a new connection of its own. */
  rlfStore(): Promise<{ storeClient: unknown; useRedisPackage?: boolean }>;
}

/** The limiter classes under test: this package's, and the merged one before it (optional). */
export interface Limiters {
  readonly ours: typeof RateLimiter;
  readonly before: typeof RateLimiter | undefined;
}

export const ALLOWED_KEYS = 10_000;
export const DENIED_KEYS = 100;
const HUGE = 1_000_000_000;
const WINDOW_MS = 600_000; // longer than a bench run: the denied keys stay exhausted
const DENIED_LIMIT = 10;

const allowedKey = (i: number) => `k${i % ALLOWED_KEYS}`;
const deniedKey = (i: number) => `d${i % DENIED_KEYS}`;
const decisionOutcome = (d: unknown): Outcome =>
  (d as RateLimitDecision | RateLimitAllDecision).allowed ? 'allowed' : 'denied';
// rate-limiter-flexible resolves an allowed call and rejects a denial (with a RateLimiterRes, or
// RateLimiterUnion with an object of them).
const rlfOutcome = (_result: unknown, rejected: boolean): Outcome => (rejected ? 'denied' : 'allowed');
// consumeWindow-1.lua's reply: negative when denied.
const replyOutcome = (n: unknown): Outcome => ((n as number) < 0 ? 'denied' : 'allowed');

/** Builds the contenders of every scenario for one client. */
export async function scenariosFor(
  setup: ClientSetup,
  limiters: Limiters,
  tag: string,
  lua: { single: string; all: string },
): Promise<{
  allowed: Contender[];
  denied: Contender[];
  twoRules: Contender[];
  ratios: (s: string) => Ratio[];
}> {
  const client = setup.client;
  let n = 0;
  const prefix = () => `bench:${tag}:${client === 'ioredis' ? 'i' : 'n'}${n++}:`;
  const limiter = async (Limiter: typeof RateLimiter, options: object) =>
    new Limiter({
      redis: await setup.connect(),
      keyPrefix: prefix(),
      failureMode: 'throw',
      timeoutMs: 5000,
      ...options,
    });
  const c = (
    name: string,
    op: (i: number) => Promise<unknown>,
    outcome: (result: unknown, rejected: boolean) => Outcome = decisionOutcome,
  ): Contender => ({
    name,
    client,
    op,
    outcome,
    wrong: 0,
  });
  const allowedRule = { limit: HUGE, windowMs: WINDOW_MS };
  const deniedRule = { limit: DENIED_LIMIT, windowMs: WINDOW_MS };
  const rlf = async (points: number, extra: object = {}) =>
    new RateLimiterRedis({
      ...(await setup.rlfStore()),
      keyPrefix: prefix().slice(0, -1),
      points,
      duration: WINDOW_MS / 1000,
      ...extra,
    });
  const bare = async (script: string, keyPrefix = prefix()) => {
    const send = await setup.bare(script);
    return { send, keyPrefix };
  };

  // allowed
  const oursDefault = await limiter(limiters.ours, {});
  const oursSingle = await limiter(limiters.ours, { coalesce: false });
  const rlfAllowed = await rlf(HUGE);
  const bareSingle = await bare(lua.single);
  const allowed = [
    c('@tses/redis-ratelimit, defaults (coalescing)', (i) => oursDefault.consume(allowedKey(i), allowedRule)),
    c('@tses/redis-ratelimit, coalesce: false', (i) => oursSingle.consume(allowedKey(i), allowedRule)),
    c('rate-limiter-flexible RateLimiterRedis', (i) => rlfAllowed.consume(allowedKey(i)), rlfOutcome),
    c(
      'bare EVALSHA consumeWindow-1.lua, one per call',
      (i) => bareSingle.send([bareSingle.keyPrefix + allowedKey(i)], [String(HUGE), String(WINDOW_MS)]),
      replyOutcome,
    ),
  ];
  if (limiters.before !== undefined) {
    const before = await limiter(limiters.before, {});
    allowed.push(
      c('@tses/redis-ratelimit 0.2.0 as merged (before)', (i) => before.consume(allowedKey(i), allowedRule)),
    );
  }

  // denied flood
  const shield = await limiter(limiters.ours, { shield: true });
  const noShield = await limiter(limiters.ours, {});
  const noShieldSingle = await limiter(limiters.ours, { coalesce: false });
  const rlfDenied = await rlf(DENIED_LIMIT);
  const rlfBlock = await rlf(DENIED_LIMIT, { inMemoryBlockOnConsumed: DENIED_LIMIT });
  const bareDenied = await bare(lua.single);
  const denied = [
    c('@tses/redis-ratelimit, shield: true', (i) => shield.consume(deniedKey(i), deniedRule)),
    c('@tses/redis-ratelimit, defaults (coalescing, no shield)', (i) =>
      noShield.consume(deniedKey(i), deniedRule),
    ),
    c('@tses/redis-ratelimit, coalesce: false', (i) => noShieldSingle.consume(deniedKey(i), deniedRule)),
    c('rate-limiter-flexible RateLimiterRedis', (i) => rlfDenied.consume(deniedKey(i)), rlfOutcome),
    c('rate-limiter-flexible, inMemoryBlockOnConsumed', (i) => rlfBlock.consume(deniedKey(i)), rlfOutcome),
    c(
      'bare EVALSHA consumeWindow-1.lua, one per call',
      (i) =>
        bareDenied.send([bareDenied.keyPrefix + deniedKey(i)], [String(DENIED_LIMIT), String(WINDOW_MS)]),
      replyOutcome,
    ),
  ];
  if (limiters.before !== undefined) {
    const before = await limiter(limiters.before, {});
    denied.push(
      c('@tses/redis-ratelimit 0.2.0 as merged (before)', (i) => before.consume(deniedKey(i), deniedRule)),
    );
  }

  // two rules, all-or-nothing
  const items = (i: number) => [
    { key: `a:${allowedKey(i)}`, rule: allowedRule },
    { key: `b:${allowedKey(i)}`, rule: allowedRule },
  ];
  const oursAll = await limiter(limiters.ours, {});
  const oursAllCoalesced = await limiter(limiters.ours, { coalesce: 'all' });
  const oursAllShield = await limiter(limiters.ours, { shield: true });
  const union = new RateLimiterUnion(await rlf(HUGE), await rlf(HUGE));
  const bareAll = await bare(lua.all);
  const allArgs = [String(HUGE), String(WINDOW_MS), '0', String(HUGE), String(WINDOW_MS), '0'];
  const twoRules = [
    c('@tses/redis-ratelimit consumeAll, defaults (one script per call)', (i) =>
      oursAll.consumeAll(items(i)),
    ),
    c("@tses/redis-ratelimit consumeAll, coalesce: 'all'", (i) => oursAllCoalesced.consumeAll(items(i))),
    c('@tses/redis-ratelimit consumeAll, shield: true', (i) => oursAllShield.consumeAll(items(i))),
    c(
      'rate-limiter-flexible RateLimiterUnion (no rollback)',
      (i) => union.consume(allowedKey(i)),
      rlfOutcome,
    ),
    c(
      'bare EVALSHA consumeWindows-n.lua (2 keys), one per call',
      (i) =>
        bareAll.send(
          [`${bareAll.keyPrefix}a:${allowedKey(i)}`, `${bareAll.keyPrefix}b:${allowedKey(i)}`],
          allArgs,
        ),
      (r) => (Array.isArray(r) && (r as number[])[0]! > 0 ? 'allowed' : 'denied'),
    ),
  ];
  if (limiters.before !== undefined) {
    const before = await limiter(limiters.before, {});
    twoRules.push(c('@tses/redis-ratelimit 0.2.0 as merged (before)', (i) => before.consumeAll(items(i))));
  }

  const ratios = (scenario: string): Ratio[] => {
    const r = (label: string, a: Contender, b: Contender | undefined, goal?: number): Ratio[] =>
      b === undefined
        ? []
        : [{ label: `${label} (${client})`, a, b, ...(goal === undefined ? {} : { goal }) }];
    if (scenario === 'allowed') {
      return [
        ...r('ours ÷ rate-limiter-flexible', allowed[0]!, allowed[2]!, 2),
        ...r('ours ÷ bare EVALSHA one per call', allowed[0]!, allowed[3]!, 1),
        ...r('ours ÷ ours with coalesce: false', allowed[0]!, allowed[1]!),
        ...r('ours ÷ before (0.2.0 as merged)', allowed[0]!, allowed[4]),
        ...r('ours coalesce: false ÷ before', allowed[1]!, allowed[4]),
      ];
    }
    if (scenario === 'denied') {
      return [
        ...r('shield ÷ rate-limiter-flexible inMemoryBlockOnConsumed', denied[0]!, denied[4]!, 1),
        ...r('shield ÷ rate-limiter-flexible plain', denied[0]!, denied[3]!),
        ...r('no shield (coalescing) ÷ rate-limiter-flexible plain', denied[1]!, denied[3]!),
        ...r('shield ÷ before (0.2.0 as merged)', denied[0]!, denied[6]),
      ];
    }
    return [
      ...r('consumeAll ÷ RateLimiterUnion', twoRules[0]!, twoRules[3]!),
      ...r("consumeAll, coalesce: 'all' ÷ RateLimiterUnion", twoRules[1]!, twoRules[3]!),
      ...r('consumeAll ÷ bare EVALSHA consumeWindows-n', twoRules[0]!, twoRules[4]!),
      ...r("consumeAll, coalesce: 'all' ÷ defaults", twoRules[1]!, twoRules[0]!),
      ...r('consumeAll ÷ before (0.2.0 as merged)', twoRules[0]!, twoRules[5]),
    ];
  };
  return { allowed, denied, twoRules, ratios };
}

/** The latency scenario's contenders: ours with and without coalescing, and the bare EVALSHA. */
export async function latencyContenders(
  setup: ClientSetup,
  limiters: Limiters,
  tag: string,
  single: string,
): Promise<Contender[]> {
  const client = setup.client;
  const make = async (coalesce: boolean, p: string) =>
    new limiters.ours({
      redis: await setup.connect(),
      keyPrefix: p,
      failureMode: 'throw',
      timeoutMs: 5000,
      coalesce,
    });
  const on = await make(true, `bench:${tag}:${client}:lat-on:`);
  const off = await make(false, `bench:${tag}:${client}:lat-off:`);
  const send = await setup.bare(single);
  const rule = { limit: HUGE, windowMs: WINDOW_MS };
  const barePrefix = `bench:${tag}:${client}:lat-bare:`;
  return [
    {
      name: '@tses/redis-ratelimit, coalesce: true',
      client,
      wrong: 0,
      outcome: decisionOutcome,
      op: (i) => on.consume(allowedKey(i), rule),
    },
    {
      name: '@tses/redis-ratelimit, coalesce: false',
      client,
      wrong: 0,
      outcome: decisionOutcome,
      op: (i) => off.consume(allowedKey(i), rule),
    },
    {
      name: 'bare EVALSHA consumeWindow-1.lua',
      client,
      wrong: 0,
      outcome: replyOutcome,
      op: (i) => send([barePrefix + allowedKey(i)], [String(HUGE), String(WINDOW_MS)]),
    },
  ];
}
