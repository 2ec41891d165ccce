import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OtpDecryptionError } from '../errors.js';
import { parseEncryptionKey, type JobEncryptionKey } from './encryption-key.js';

/** Envelope version tag; a new format or algorithm gets a new tag. */
const VERSION = 'v1';
const IV_BYTES = 12; // 96-bit IV: the size GCM is defined for (NIST SP 800-38D §8.2)
const TAG_BYTES = 16;

/**
 * Shape of a ciphertext envelope: `v1.<iv>.<ciphertext>.<tag>`, each part base64url.
 * Exported for payload schemas.
 */
export const OTP_ENVELOPE_PATTERN = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{1,128}\.[A-Za-z0-9_-]{22}$/;

/**
 * Encrypts a one-time code for a job payload with AES-256-GCM under a random 96-bit IV. The
 * recipient's email is bound as additional authenticated data, so a ciphertext moved onto
 * another recipient's job fails to decrypt instead of mailing someone else's code.
 *
 * @param otp - The plain code.
 * @param email - The recipient, exactly as it appears in the job payload.
 * @param key - The job encryption key (a `KeyObject` or the raw `JOB_ENCRYPTION_KEY` text).
 * @returns The envelope `v1.<iv>.<ciphertext>.<tag>` (base64url parts).
 * @throws {@link JobConfigError} when `key` is not a 32-byte key.
 * @example
 * ```ts
 * const envelope = encryptOtp('123456', 'user@example.com', process.env.JOB_ENCRYPTION_KEY!);
 * ```
 */
export function encryptOtp(otp: string, email: string, key: JobEncryptionKey | string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', parseEncryptionKey(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(email, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(otp, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * Decrypts an envelope made by {@link encryptOtp}, checking the tag and the bound email.
 *
 * @param envelope - The `v1.<iv>.<ciphertext>.<tag>` string from the job payload.
 * @param email - The recipient in the same payload.
 * @param key - The job encryption key.
 * @returns The plain code.
 * @throws {@link OtpDecryptionError} when the envelope is malformed, the key is wrong, the email
 *   differs, or any byte was changed.
 * @example
 * ```ts
 * const code = decryptOtp(job.data.otp, job.data.email, key);
 * ```
 */
export function decryptOtp(envelope: string, email: string, key: JobEncryptionKey | string): string {
  const secret = parseEncryptionKey(key);
  if (!OTP_ENVELOPE_PATTERN.test(envelope)) {
    throw new OtpDecryptionError('The OTP ciphertext envelope is malformed.');
  }
  const [, iv, ciphertext, tag] = envelope.split('.').map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, iv!, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(email, 'utf8'));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new OtpDecryptionError(
      'The OTP ciphertext failed authentication (wrong key, another recipient, or tampered).',
      { cause },
    );
  }
}
