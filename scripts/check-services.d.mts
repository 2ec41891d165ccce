import type { Redis } from 'ioredis';

export declare const DEFAULT_REDIS_URL: string;
export declare const DEFAULT_DATABASE_URL: string;
export declare const HOW_TO_START: string;
export declare function testServiceUrls(env?: NodeJS.ProcessEnv): {
  redisUrl: string;
  databaseUrl: string;
  clusterNodes: string;
};
export declare function checkTestServices(
  env?: NodeJS.ProcessEnv,
): Promise<{ problems: string[]; warnings: string[] }>;
export declare function freePort(): Promise<number>;
export declare function deleteKeysMatching(
  redis: Pick<Redis, 'scan' | 'unlink'>,
  pattern: string,
): Promise<void>;
