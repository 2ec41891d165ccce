import { describe, expect, it } from 'vitest';
import { VERSION } from '@tses/redis-ratelimit';

describe('smoke', () => {
  it('resolves the library from source', () => {
    expect(VERSION).toBe('0.1.0');
  });
});
