/** What {@link SessionStore.consume} found. */
export type ConsumeOutcome = 'rotated' | 'reused' | 'revoked';

/**
 * Server-side state of refresh-token families (one family = one login session). Only the live
 * refresh token of each family is stored, so rotation is a single atomic take.
 */
export interface SessionStore {
  /** Records `tokenId` as the live refresh token of `sessionId` for `ttlMs`. */
  register(sessionId: string, tokenId: string, ttlMs: number): Promise<void>;
  /**
   * Atomically takes `tokenId`: `rotated` when it was live (exactly one concurrent caller gets
   * this), `revoked` when the session is revoked, `reused` when it is gone (already rotated).
   */
  consume(sessionId: string, tokenId: string): Promise<ConsumeOutcome>;
  /** Revokes the whole session for `ttlMs` (at least the longest token lifetime). */
  revoke(sessionId: string, ttlMs: number): Promise<void>;
  /** Whether the session is revoked. */
  isRevoked(sessionId: string): Promise<boolean>;
}
