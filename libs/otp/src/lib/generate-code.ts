import { randomInt } from 'node:crypto';

/**
 * A uniformly random code of `length` decimal digits, zero-padded. `crypto.randomInt` draws by
 * rejection sampling from the CSPRNG, so there is no modulo bias (unlike `randomBytes(n) % 10^6`).
 */
export function generateCode(length: number): string {
  // randomInt needs max - min < 2^48; 10^10 (the largest length allowed) is well inside it.
  return randomInt(0, 10 ** length)
    .toString()
    .padStart(length, '0');
}
