/** A loopback TCP port that was free a moment ago; nothing listens on it (see ports.mjs). */
export declare function freePort(): Promise<number>;
