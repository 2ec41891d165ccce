import { OtpConfigError } from './errors.js';
import { deriveKey, OWN_LABEL_PREFIX, pseudonymOf, secretBytes } from './lib/secret-keys.js';

/**
 * Names a subject without revealing it: `(kind, value)` → 22 base64url characters.
 *
 * @example
 * ```ts
 * const name: SubjectPseudonym = createSubjectPseudonym(secret, 'my-app key names v1');
 * name('ip', '192.0.2.1'); // 'Qm9…' (22 characters)
 * ```
 */
export type SubjectPseudonym = (kind: string, value: string) => string;

/**
 * The pseudonyms `@tses/otp` puts in its own Redis key names, for an application's keys: a
 * 128-bit HMAC-SHA-256 of `kind ‖ NUL ‖ value` (base64url, 22 characters) under a key derived
 * from `serverSecret` with HKDF-SHA-256 (RFC 5869) and `label` as its `info`. A label of its own
 * keeps the application's names unrelated to the library's: none of them helps compute an `Otp`
 * key name or code hash, so labels starting with `@tses/otp ` are refused. The key is derived
 * once, as a `KeyObject` (a `createHmac` call costs ~3 µs with one, ~13 µs with a `Buffer`).
 *
 * @param serverSecret - At least 32 bytes, e.g. the `serverSecret` given to `Otp`.
 * @param label - The HKDF `info` naming this use, e.g. `'my-app key names v1'`; change it to
 *   rename every subject at once.
 * @returns The pseudonym function. `kind` separates domains (`'ip'`, `'user'`) and must not
 *   contain a NUL character.
 * @throws {@link OtpConfigError} When the secret is shorter than 32 bytes or the label is empty
 *   or one of `@tses/otp`'s own; the function throws it for a `kind` containing NUL.
 * @example
 * ```ts
 * import { createSubjectPseudonym, normalizeIp } from '@tses/otp';
 *
 * const pseudonym = createSubjectPseudonym(process.env.OTP_SECRET!, 'my-app key names v1');
 * const ip = normalizeIp(ctx.ip);
 * if (ip.ok) await limiter.consume(`login-ip:${pseudonym('ip', ip.key)}`, rule);
 * ```
 */
export function createSubjectPseudonym(serverSecret: string | Uint8Array, label: string): SubjectPseudonym {
  if (typeof label !== 'string' || label.length === 0 || label.startsWith(OWN_LABEL_PREFIX)) {
    throw new OtpConfigError(
      `label must be a non-empty string not starting with '${OWN_LABEL_PREFIX}'; got ${JSON.stringify(label)}.`,
    );
  }
  const key = deriveKey(secretBytes(serverSecret), label);
  return function subjectPseudonym(kind: string, value: string): string {
    if (kind.includes('\0')) throw new OtpConfigError('kind must not contain a NUL character.');
    return pseudonymOf(key, kind, value);
  };
}
