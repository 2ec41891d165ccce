export { normalizeEmail } from './email.js';
export type { EmailProblem, NormalizedEmail } from './email.js';
