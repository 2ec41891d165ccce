import {
  calculateJwkThumbprint,
  exportJWK,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type JSONWebKeySet,
} from 'jose';

/** The key material tokens are signed and verified with; the algorithm is pinned by it. */
export type SigningKeys =
  | {
      readonly alg: 'HS256';
      readonly signKey: CryptoKey;
      readonly verifyKey: CryptoKey;
      readonly kid?: undefined;
    }
  | {
      readonly alg: 'EdDSA';
      readonly signKey: CryptoKey;
      readonly verifyKey: CryptoKey;
      readonly kid: string;
      readonly jwks: JSONWebKeySet;
    };

/** Inputs of {@link createSigningKeys}, as the configuration holds them. */
export interface SigningKeyInput {
  /** HS256 secret, at least 32 bytes (RFC 7518 §3.2: a key at least as long as the hash output). */
  readonly secret?: string | undefined;
  /** Ed25519 private key, PKCS#8 PEM. With `publicKeyPem`, selects EdDSA. */
  readonly privateKeyPem?: string | undefined;
  /** Ed25519 public key, SPKI PEM. */
  readonly publicKeyPem?: string | undefined;
  /** `kid`; defaults to the key's JWK thumbprint (RFC 7638). */
  readonly keyId?: string | undefined;
}

/**
 * Loads the signing keys: EdDSA when a key pair is given, otherwise HS256 from the secret.
 *
 * @param input - Secret or PEM key pair.
 * @returns Keys with the pinned algorithm (and the JWKS for EdDSA).
 * @throws {Error} when the secret is shorter than 32 bytes or the PEMs are not an Ed25519 pair.
 * @example
 * ```ts
 * const keys = await createSigningKeys({ secret: process.env.JWT_SECRET });
 * ```
 */
export async function createSigningKeys(input: SigningKeyInput): Promise<SigningKeys> {
  if (input.privateKeyPem !== undefined && input.publicKeyPem !== undefined) {
    const signKey = await importPKCS8(input.privateKeyPem, 'EdDSA');
    const verifyKey = await importSPKI(input.publicKeyPem, 'EdDSA', { extractable: true });
    const jwk = await exportJWK(verifyKey);
    const kid = input.keyId ?? (await calculateJwkThumbprint(jwk));
    return {
      alg: 'EdDSA',
      signKey,
      verifyKey,
      kid,
      jwks: { keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] },
    };
  }
  if (input.secret === undefined || Buffer.byteLength(input.secret, 'utf8') < 32) {
    throw new Error('JWT_SECRET must be at least 32 bytes');
  }
  // Imported once, not extractable: given raw bytes, jose imports them anew on every sign and
  // verify (a WebCrypto job each, two per sign-in).
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(input.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  return { alg: 'HS256', signKey: key, verifyKey: key };
}
