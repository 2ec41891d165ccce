import { Deadlines } from '../lib/deadlines.js';
import { toRateLimitError } from '../lib/errors.js';
import { assertTimeout } from '../lib/validate.js';
import type { RedisScript } from './redis-scripts.js';
import type { RedisScriptClient } from './script-client.js';
import { redisScriptClient, type RedisClient } from './script-client-for.js';
import { RAW_OUTCOME, ScriptRun, type RunOutcome } from './script-run.js';

/** Options of {@link runRedisScript}. */
export interface RunRedisScriptOptions {
  /**
   * The call's deadline in milliseconds (default 500), waiting for a connection included. Nothing
   * is written after it; a call still unanswered then rejects with `RateLimitTimeoutError`.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 500;

// One deadline queue per timeout: calls with one timeout expire in the order they start, so one
// timer serves them all (deadlines.ts).
const queues = new Map<number, Deadlines>();

/**
 * Starts one script call on an adapter, due by `deadline` (`performance.now()` time, kept by
 * `deadlines`); settles as `outcome` says (by default: the reply, or the fault as the adapter
 * gave it). `readyNow`: the caller just saw the client ready and set the deadline ahead.
 */
export function startScript<R = unknown>(
  client: RedisScriptClient,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
  deadline: number,
  deadlines: Deadlines,
  outcome: RunOutcome<R> = RAW_OUTCOME as RunOutcome<R>,
  readyNow = false,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const run = new ScriptRun<R>(client, script, keys, args, deadline, outcome, resolve, reject);
    deadlines.add(run);
    if (readyNow) run.sendNow();
    else run.send();
  });
}

/**
 * Runs one Lua script on any supported client, with the guarantees the limiter's own calls have:
 * `EVALSHA`, a lost script cache reloaded on the node that owns the key, a connection that is not
 * open yet waited for (within `timeoutMs`), a call that may have run never sent again, nothing
 * written after the deadline. `@tses/otp` stores and verifies its codes this way.
 *
 * @param client - An ioredis/iovalkey/node-redis client, or a {@link RedisScriptClient}.
 * @param script - A script from {@link defineRedisScripts}.
 * @param keys - `KEYS` (on a Cluster, one hash tag for all; `keys[0]` routes the call).
 * @param args - `ARGV`.
 * @param options - `timeoutMs` (default 500).
 * @returns The script's reply (integers as numbers, bulk strings as strings).
 * @throws {@link RateLimitConfigError} For an unsupported or unsafe client, or a bad `timeoutMs`.
 * @throws {@link RateLimitError} `RateLimitUnavailableError` (not connected in time, closed),
 *   `RateLimitTimeoutError` (no answer in time), `RateLimitStoreError` (an error reply).
 * @example
 * ```ts
 * const { verifyOtp } = defineRedisScripts(new URL('./commands/', import.meta.url), VERSION, { verifyOtp: 4 });
 * const reply = await runRedisScript(redis, verifyOtp, keys, [hash, 5], { timeoutMs: 500 });
 * ```
 */
export function runRedisScript(
  client: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
  options: RunRedisScriptOptions = {},
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let adapter: RedisScriptClient;
  try {
    assertTimeout(timeoutMs);
    adapter = redisScriptClient(client);
  } catch (error) {
    return Promise.reject(error);
  }
  let deadlines = queues.get(timeoutMs);
  if (deadlines === undefined) queues.set(timeoutMs, (deadlines = new Deadlines()));
  const deadline = performance.now() + timeoutMs;
  return startScript(adapter, script, keys, args.map(String), deadline, deadlines).then(
    undefined,
    (error: unknown) => {
      throw toRateLimitError(error);
    },
  );
}
