import { defineRedisScripts } from '@tses/redis-ratelimit';
import { VERSION } from './version.js';

/**
 * The Lua scripts of `RedisOtpStore`: one `.lua` file per script in `../commands/` (next to this
 * module in `src/` and in `dist/`), named `<verbNoun>-<numberOfKeys>.lua`. Adding a script is
 * one file and one entry here. Each is read on first use (an app on `MemoryOtpStore` never reads
 * one) and sent by `runRedisScript` of `@tses/redis-ratelimit`, as `EVALSHA`, with the script
 * reloaded when a flushed cache or a restarted Redis answers `NOSCRIPT`.
 */
export const OTP_SCRIPTS = defineRedisScripts(new URL('../commands/', import.meta.url), VERSION, {
  verifyOtp: 4,
  settleOtpClaim: 1,
  storeCode: 1,
});
