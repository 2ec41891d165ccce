import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { OtpConfigError } from '../errors.js';

/** NIST SP 800-107 §5.3.4: an HMAC key should carry at least the hash's security strength. */
const MIN_SECRET_BYTES = 32;

/** HKDF `info` labels of this library's own keys; `createSubjectPseudonym` refuses this prefix. */
export const OWN_LABEL_PREFIX = '@tses/otp ';

/**
 * Two independent keys derived from the one server secret, so a key name never helps attack a code
 * hash. Held as `KeyObject`s: on Node 24 a `createHmac` call takes ~13 µs with a `Buffer` key (most of
 * it checking what kind of key it was given) and ~3 µs with a `KeyObject`; a request computes three.
 */
export interface SecretKeys {
  /** Keys HMAC(email ‖ code), the only form in which a code is stored. */
  readonly code: KeyObject;
  /** Keys HMAC(kind ‖ normalised email or IP), which names the Redis keys. */
  readonly subject: KeyObject;
}

/** The server secret as bytes; refuses anything shorter than 32 bytes. */
export function secretBytes(serverSecret: string | Uint8Array): Buffer {
  if (typeof serverSecret !== 'string' && !(serverSecret instanceof Uint8Array)) {
    throw new OtpConfigError('serverSecret is required (a string or bytes of at least 32 bytes).');
  }
  const secret =
    typeof serverSecret === 'string' ? Buffer.from(serverSecret, 'utf8') : Buffer.from(serverSecret);
  if (secret.length < MIN_SECRET_BYTES) {
    throw new OtpConfigError(
      `serverSecret must be at least ${MIN_SECRET_BYTES} bytes; got ${secret.length}. Generate one with: openssl rand -base64 48`,
    );
  }
  return secret;
}

/** A 256-bit key for one purpose, derived with HKDF-SHA-256 (RFC 5869) under the label `info`. */
export function deriveKey(secret: Buffer, info: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32)));
}

/** Validates the server secret and derives the per-purpose keys. */
export function deriveSecretKeys(serverSecret: string | Uint8Array): SecretKeys {
  const secret = secretBytes(serverSecret);
  return Object.freeze({
    code: deriveKey(secret, `${OWN_LABEL_PREFIX}code hash v1`),
    subject: deriveKey(secret, `${OWN_LABEL_PREFIX}key names v1`),
  });
}

/**
 * HMAC-SHA-256 of the email and a code, as 64 hex characters. The NUL separator cannot occur in
 * a normalised email (control characters are rejected), so (email, code) pairs never collide.
 */
export function hashCode(keys: SecretKeys, email: string, code: string): string {
  return createHmac('sha256', keys.code).update(email).update('\0').update(code).digest('hex');
}

/**
 * A 128-bit pseudonym of `value` in the domain `kind` (which holds no NUL, so the pairs never
 * collide): HMAC-SHA-256(key, kind ‖ NUL ‖ value), truncated, as 22 base64url characters.
 */
export function pseudonymOf(key: KeyObject, kind: string, value: string): string {
  return createHmac('sha256', key)
    .update(kind)
    .update('\0')
    .update(value)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The pseudonym of a normalised email or IP in this library's key names. */
export function subjectId(keys: SecretKeys, kind: 'email' | 'ip', value: string): string {
  return pseudonymOf(keys.subject, kind, value);
}
