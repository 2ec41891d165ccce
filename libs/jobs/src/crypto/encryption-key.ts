import { createSecretKey, type KeyObject } from 'node:crypto';
import { JobConfigError } from '../errors.js';

/** A 256-bit AES key for job payloads, as a `KeyObject` so it is never printed by accident. */
export type JobEncryptionKey = KeyObject;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Parses `JOB_ENCRYPTION_KEY`: exactly 32 bytes, written as 64 hex characters or as base64
 * (standard or URL-safe, padding optional). Generate one with `openssl rand -base64 32`.
 *
 * @param raw - The key text, or an existing key (returned as is after a length check).
 * @returns The key as a secret `KeyObject`.
 * @throws {@link JobConfigError} when the text is not a 32-byte key. The message never
 *   contains the value.
 * @example
 * ```ts
 * const key = parseEncryptionKey(process.env.JOB_ENCRYPTION_KEY ?? '');
 * ```
 */
export function parseEncryptionKey(raw: string | JobEncryptionKey): JobEncryptionKey {
  if (typeof raw !== 'string') {
    if (raw.type !== 'secret' || raw.symmetricKeySize !== 32) {
      throw new JobConfigError('The job encryption key must be a 32-byte secret key.');
    }
    return raw;
  }
  const text = raw.trim();
  let bytes: Buffer | undefined;
  if (HEX_KEY.test(text)) bytes = Buffer.from(text, 'hex');
  else if (BASE64_KEY.test(text))
    bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  if (bytes?.length !== 32) {
    throw new JobConfigError(
      'JOB_ENCRYPTION_KEY must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`.',
    );
  }
  return createSecretKey(bytes);
}
