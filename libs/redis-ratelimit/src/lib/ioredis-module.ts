// ioredis is an optional peer dependency (memory-store users need not install it), so it is loaded
// only once a client is given. The commands the library builds itself (redis-consume.ts,
// once-command.ts) come from this copy and are sent only to clients of this very copy; a client
// from another copy keeps the commands ioredis's own methods build.
import { createRequire } from 'node:module';
import type { Cluster, Command, Redis } from 'ioredis';

/** The parts of the `ioredis` module the library uses at run time. */
export interface IoredisModule {
  readonly Redis: typeof Redis;
  readonly Cluster: typeof Cluster;
  readonly Command: typeof Command;
}

let loaded: IoredisModule | null | undefined;

/** The `ioredis` module beside this package, or `null` when it cannot be loaded. */
export function ioredisModule(): IoredisModule | null {
  if (loaded === undefined) {
    try {
      const lib = createRequire(import.meta.url)('ioredis') as Partial<IoredisModule>;
      loaded =
        typeof lib.Redis === 'function' &&
        typeof lib.Cluster === 'function' &&
        typeof lib.Command === 'function'
          ? (lib as IoredisModule)
          : null;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
