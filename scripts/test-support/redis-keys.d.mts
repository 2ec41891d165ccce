import type { Cluster, Redis } from 'ioredis';

/** Every key matching `pattern` (`prefix*`), from every primary of a Cluster (SCAN, never KEYS). */
export declare function keysMatching(client: Redis | Cluster, pattern: string): Promise<string[]>;
/** Deletes every key matching `pattern` (SCAN + UNLINK, node by node); never FLUSHDB. */
export declare function deleteKeysMatching(client: Redis | Cluster, pattern: string): Promise<void>;
