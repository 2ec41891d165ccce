import { describe, expect, it } from 'vitest';
import { createSubjectPseudonym, OtpConfigError } from '../src/index.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

describe('createSubjectPseudonym', () => {
  const pseudonym = createSubjectPseudonym(SECRET, 'test key names v1');

  it('names one subject by one 22-character base64url name', () => {
    const name = pseudonym('ip', '192.0.2.1');
    expect(name).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pseudonym('ip', '192.0.2.1')).toBe(name);
    expect(createSubjectPseudonym(Buffer.from(SECRET), 'test key names v1')('ip', '192.0.2.1')).toBe(name);
  });

  it('keeps kinds, values and labels apart', () => {
    const name = pseudonym('ip', '192.0.2.1');
    expect(pseudonym('ip', '192.0.2.2')).not.toBe(name);
    expect(pseudonym('email', '192.0.2.1')).not.toBe(name);
    expect(createSubjectPseudonym(SECRET, 'test key names v2')('ip', '192.0.2.1')).not.toBe(name);
  });

  it("refuses a short secret, an empty label, the library's own labels and a NUL in kind", () => {
    expect(() => createSubjectPseudonym('x'.repeat(31), 'label')).toThrow(OtpConfigError);
    expect(() => createSubjectPseudonym(SECRET, '')).toThrow(OtpConfigError);
    expect(() => createSubjectPseudonym(SECRET, '@tses/otp key names v1')).toThrow(OtpConfigError);
    expect(() => pseudonym('ip\0x', 'y')).toThrow(OtpConfigError);
  });
});
