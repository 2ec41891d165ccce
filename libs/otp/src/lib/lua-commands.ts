import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import { VERSION } from './version.js';

/** The script's command name carries the package version, so two versions can share one Redis. */
export const VERIFY_COMMAND = `verifyOtp:${VERSION}`;

// Resolved next to this module: src/commands in the monorepo, dist/commands once built.
const VERIFY_LUA = readFileSync(new URL('../commands/verifyOtp-4.lua', import.meta.url), 'utf8');

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

const registered = new WeakSet<object>();

/**
 * Defines the verify script on a client once. ioredis then sends EVALSHA and falls back to EVAL
 * on NOSCRIPT, so a flushed script cache or a restarted Redis never surfaces as an error.
 */
export function verifyCommand(client: Redis | Cluster): ScriptFn {
  if (!registered.has(client)) {
    client.defineCommand(VERIFY_COMMAND, { numberOfKeys: 4, lua: VERIFY_LUA });
    registered.add(client);
  }
  const fn = (client as unknown as Record<string, ScriptFn>)[VERIFY_COMMAND];
  return fn!.bind(client);
}
