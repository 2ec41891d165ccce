/**
 * Email normalisation: one address is one subject everywhere (the same rate limits and codes in
 * `@tses/otp`, the same audit filter in `@tses/audit`).
 */

/**
 * Why an address was rejected.
 *
 * @example
 * ```ts
 * const problem: EmailProblem = 'malformed';
 * ```
 */
export type EmailProblem = 'empty' | 'too_long' | 'invalid_characters' | 'malformed';

/**
 * The result of {@link normalizeEmail}: a value, never an exception.
 *
 * @example
 * ```ts
 * const r: NormalizedEmail = normalizeEmail(input);
 * if (!r.ok) return { error: r.message };
 * ```
 */
export type NormalizedEmail =
  | { readonly ok: true; readonly email: string }
  | { readonly ok: false; readonly problem: EmailProblem; readonly message: string };

// C0/C1 controls, zero-width and bidi controls, soft hyphen, BOM, other format characters
// (Unicode general category Cc and Cf), and the default-ignorable letters such as the Hangul
// fillers (U+3164, U+FFA0) that are category Lo yet render as nothing: invisible characters let
// two addresses look the same.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
// A pragmatic subset of RFC 5321: local@domain, no spaces, a dotted domain with a 2+ letter TLD.
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
// RFC 5321 §4.5.3.1: limits are in octets (UTF-8 for internationalised addresses, RFC 6531).
const MAX_LENGTH = 254; // RFC 5321 §4.5.3.1.3 path limit minus the angle brackets
const MAX_LOCAL_LENGTH = 64; // RFC 5321 §4.5.3.1.1
// The top-level domain: letters, or an IDNA A-label such as xn--p1ai (RFC 5890).
// Buffer.byteLength counts without encoding; TextEncoder.encode allocated a copy twice per address.
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]{2,59})$/u;

/**
 * Normalises an email address: trim, Unicode NFKC, lower-case; rejects control and invisible
 * characters and malformed addresses.
 *
 * @param input - The address as the user typed it.
 * @returns `{ ok: true, email }` with the canonical form, or `{ ok: false, problem, message }`.
 * @example
 * ```ts
 * normalizeEmail('  User@Example.COM ') // { ok: true, email: 'user@example.com' }
 * normalizeEmail('a\u200b@example.com').ok // false
 * ```
 */
export function normalizeEmail(input: string): NormalizedEmail {
  const trimmed = input.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'empty', message: 'Email is required.' };
  if (INVISIBLE_OR_CONTROL.test(trimmed)) {
    return {
      ok: false,
      problem: 'invalid_characters',
      message: 'Email contains control or invisible characters.',
    };
  }
  // NFKC again after lower-casing: case mapping can leave a string that is not NFKC, and the
  // result must be a fixed point (normalising a normalised address changes nothing).
  const email = trimmed.normalize('NFKC').toLowerCase().normalize('NFKC');
  if (INVISIBLE_OR_CONTROL.test(email)) {
    return {
      ok: false,
      problem: 'invalid_characters',
      message: 'Email contains control or invisible characters.',
    };
  }
  if (utf8Length(email) > MAX_LENGTH) {
    return { ok: false, problem: 'too_long', message: `Email must be at most ${MAX_LENGTH} bytes long.` };
  }
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const labels = domain.split('.');
  const valid =
    at > 0 &&
    utf8Length(local) <= MAX_LOCAL_LENGTH &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(labels[labels.length - 1] ?? '');
  if (!valid) return { ok: false, problem: 'malformed', message: 'Email is not a valid address.' };
  return { ok: true, email };
}
