/**
 * `@tses/otp/email`: the address normalisation `Otp` applies, for code that needs nothing else of
 * this package. It is `@tses/core`'s, re-exported so imports from before it moved keep working.
 */
export { normalizeEmail } from '@tses/core';
export type { EmailProblem, NormalizedEmail } from '@tses/core';
