import { defineRedisScripts, loadTogether } from '../redis/redis-scripts.js';
import { VERSION } from './version.js';

/**
 * The limiter's and the lockout's scripts: `commands/<name>-<keys>.lua` next to this file's
 * folder, in `src/` and `dist/` alike.
 */
export const SCRIPTS = defineRedisScripts(new URL('../commands/', import.meta.url), VERSION, {
  consumeWindow: 1,
  consumeWindowsEach: 'n',
  consumeWindows: 'n',
  consumeWindowGroups: 'n',
  peekWindow: 1,
  refundWindow: 1,
  recordFailure: 1,
  checkLockout: 1,
  deleteKey: 1,
});

// `consume` and `consumeAll` go as either script of their pair, depending on how many calls a
// tick has for a slot.
loadTogether(SCRIPTS.consumeWindow, SCRIPTS.consumeWindowsEach);
loadTogether(SCRIPTS.consumeWindows, SCRIPTS.consumeWindowGroups);
