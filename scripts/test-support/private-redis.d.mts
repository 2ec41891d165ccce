import type { Redis } from 'ioredis';

/** A redis-server owned by one test file (see private-redis.mjs). */
export declare class PrivateRedis {
  readonly port: number;
  static start(): Promise<PrivateRedis>;
  get url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  admin(): Redis;
}
