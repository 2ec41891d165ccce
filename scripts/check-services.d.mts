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
