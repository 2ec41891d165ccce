import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import { VERSION } from './version.js';

/** The script's command name carries the package version, so two versions can share one Redis. */
const VERIFY_COMMAND = `verifyOtp:${VERSION}`;

// Read on first use, not at import: an app on `MemoryOtpStore` never needs it.
let verifyLua: string | undefined;

const registered = new WeakSet<object>();

/**
 * Defines the verify script on a client once and returns its command name, for `callOnce` of
 * `@tses/redis-ratelimit`, which sends it as EVALSHA and falls back to EVAL on NOSCRIPT, so a
 * flushed script cache or a restarted Redis never surfaces as an error.
 */
export function defineVerifyCommand(client: Redis | Cluster): string {
  if (!registered.has(client)) {
    // Resolved next to this module: src/commands in the monorepo, dist/commands once built.
    verifyLua ??= readFileSync(new URL('../commands/verifyOtp-4.lua', import.meta.url), 'utf8');
    client.defineCommand(VERIFY_COMMAND, { numberOfKeys: 4, lua: verifyLua });
    registered.add(client);
  }
  return VERIFY_COMMAND;
}

const SETTLE_COMMAND = `settleOtpClaim:${VERSION}`;

let settleLua: string | undefined;

const settleRegistered = new WeakSet<object>();

/**
 * Defines the claim-settling script (`settleOtpClaim-1.lua`) on a client once and returns its
 * command name, like {@link defineVerifyCommand}.
 */
export function defineSettleCommand(client: Redis | Cluster): string {
  if (!settleRegistered.has(client)) {
    settleLua ??= readFileSync(new URL('../commands/settleOtpClaim-1.lua', import.meta.url), 'utf8');
    client.defineCommand(SETTLE_COMMAND, { numberOfKeys: 1, lua: settleLua });
    settleRegistered.add(client);
  }
  return SETTLE_COMMAND;
}
