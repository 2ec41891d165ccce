/** What {@link SessionStore.consume} found. */
export type ConsumeOutcome = 'rotated' | 'reused' | 'revoked';

/**
 * Server-side state of refresh-token families (one family = one login session). Only the live
 * refresh token of each family is stored, so rotation is a single atomic take; beside it, a
 * session marker that lives as long as the session, so an access token can be checked against
 * its session in one lookup.
 */
export interface SessionStore {
  /**
   * Records `tokenId` as the live refresh token of `sessionId` for `ttlMs`, and (re)starts the
   * session's marker for as long.
   */
  register(sessionId: string, tokenId: string, ttlMs: number): Promise<void>;
  /**
   * Atomically takes `tokenId`: `rotated` when it was live (exactly one concurrent caller gets
   * this), `revoked` when the session is revoked, `reused` when it is gone (already rotated).
   */
  consume(sessionId: string, tokenId: string): Promise<ConsumeOutcome>;
  /** Revokes the whole session for `ttlMs` (at least the longest token lifetime) and ends its marker. */
  revoke(sessionId: string, ttlMs: number): Promise<void>;
  /**
   * Whether the session exists and is not revoked, in one lookup: an access token whose `sid`
   * names no live session (never issued, expired, revoked) is refused.
   */
  isActive(sessionId: string): Promise<boolean>;
}
