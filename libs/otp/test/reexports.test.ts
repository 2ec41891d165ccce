// `@tses/otp` keeps exporting the address normalisation it always had (also as `@tses/otp/email`),
// now as `@tses/core`'s own functions: one behaviour, whichever package an app imports it from.
import * as core from '@tses/core';
import { expect, it } from 'vitest';
import { normalizeEmail as fromSubpath } from '../src/email.js';
import { normalizeEmail, normalizeIp } from '../src/index.js';

it('normalizeEmail and normalizeIp are @tses/core’s, under every name @tses/otp exports them', () => {
  expect(fromSubpath).toBe(normalizeEmail);
  expect(normalizeEmail).toBe(core.normalizeEmail);
  expect(normalizeIp).toBe(core.normalizeIp);
});
