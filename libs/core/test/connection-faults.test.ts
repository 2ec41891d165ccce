import { describe, expect, it } from 'vitest';
import { CONNECTION_ERROR_CODES, isConnectionFault } from '../src/index.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isConnectionFault', () => {
  it('recognises every Node.js socket code of an unreachable peer, and nothing else', () => {
    for (const code of CONNECTION_ERROR_CODES) expect(isConnectionFault(withCode(code)), code).toBe(true);
    expect([...CONNECTION_ERROR_CODES].sort()).toEqual(
      [
        'EAI_AGAIN',
        'ECONNREFUSED',
        'ECONNRESET',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'ENOTFOUND',
        'EPIPE',
        'ETIMEDOUT',
      ].sort(),
    );
    for (const other of [withCode('ERR_INVALID_ARG_TYPE'), withCode('23505'), new Error('ECONNREFUSED')]) {
      expect(isConnectionFault(other), other.message).toBe(false);
    }
    for (const notAnError of [undefined, null, 'ECONNREFUSED', 42, {}])
      expect(isConnectionFault(notAnError)).toBe(false);
  });

  it('looks through the cause chain and the members of an AggregateError', () => {
    const refused = withCode('ECONNREFUSED', 'connect ECONNREFUSED ::1:6379');
    expect(
      isConnectionFault(new Error('query failed', { cause: new Error('pool', { cause: refused }) })),
    ).toBe(true);
    // Node's dual-stack connect rejects with one error per address tried.
    const aggregate = new AggregateError([new Error('other'), refused], 'connect failed');
    expect(isConnectionFault(new Error('wrapped', { cause: aggregate }))).toBe(true);
    expect(isConnectionFault({ code: 'ECONNRESET' })).toBe(true); // a plain object a driver rejected with
  });

  it('asks the client tests about every link', () => {
    const closed = new Error('Connection is closed.');
    const ioredis = (error: Error) => error.message === 'Connection is closed.';
    expect(isConnectionFault(closed)).toBe(false);
    expect(isConnectionFault(closed, [ioredis])).toBe(true);
    expect(isConnectionFault(new Error('outer', { cause: closed }), [() => false, ioredis])).toBe(true);
  });

  it('stops on a cyclic or endless chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isConnectionFault(a)).toBe(false);
    let deep: Error = withCode('ECONNRESET');
    for (let i = 0; i < 100; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(isConnectionFault(deep)).toBe(false); // beyond 16 links: not followed
  });
});
