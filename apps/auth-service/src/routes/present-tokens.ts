import type { IssuedTokens } from '../tokens/token-types.js';

/** The API's JSON form of a token pair (OAuth 2.0 names, RFC 6749 §5.1, plus SimpleJWT's). */
export interface TokenPairJson {
  readonly access: string;
  readonly refresh: string;
  readonly token_type: 'Bearer';
  /** Access-token lifetime in seconds. */
  readonly expires_in: number;
}

/**
 * Presents a fresh token pair, as verify and refresh both answer it (with the router's default
 * `Cache-Control: no-store`, RFC 6749 §5.1).
 *
 * @param tokens - What the token service issued.
 * @returns Its JSON form.
 * @example
 * ```ts
 * ctx.body = { ...presentTokenPair(await tokens.issue(user)), user: presentUser(user) };
 * ```
 */
export function presentTokenPair(tokens: IssuedTokens): TokenPairJson {
  return {
    access: tokens.access,
    refresh: tokens.refresh,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
  };
}
