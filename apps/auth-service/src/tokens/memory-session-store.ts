import type { ConsumeOutcome, SessionStore } from './session-store.js';

/** {@link SessionStore} in process memory, for embedded mode. Same semantics as the Redis store. */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, number>();

  #alive(key: string): boolean {
    const expiresAt = this.#entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return false;
    }
    return true;
  }

  #sweep(): void {
    // Bounded memory: drop expired entries now and then instead of a timer per key.
    if (this.#entries.size % 1024 !== 0) return;
    const now = Date.now();
    for (const [key, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(key);
  }

  async register(sessionId: string, tokenId: string, ttlMs: number): Promise<void> {
    this.#entries.set(`rt:${sessionId}:${tokenId}`, Date.now() + ttlMs);
    this.#entries.set(`session:${sessionId}`, Date.now() + ttlMs);
    this.#sweep();
  }

  async consume(sessionId: string, tokenId: string): Promise<ConsumeOutcome> {
    const key = `rt:${sessionId}:${tokenId}`;
    const live = this.#alive(key);
    this.#entries.delete(key);
    if (this.#alive(`revoked:${sessionId}`)) return 'revoked';
    return live ? 'rotated' : 'reused';
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    this.#entries.set(`revoked:${sessionId}`, Date.now() + ttlMs);
    this.#entries.delete(`session:${sessionId}`);
    this.#sweep();
  }

  async isActive(sessionId: string): Promise<boolean> {
    return this.#alive(`session:${sessionId}`) && !this.#alive(`revoked:${sessionId}`);
  }
}
