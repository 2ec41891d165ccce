import { describe, expect, it } from 'vitest';
import { ExpiringMap } from '../src/index.js';

/** A clock the test moves by hand, fractional like `performance.now()`. */
function fakeClock(start = 1_000.3) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('ExpiringMap', () => {
  it('expires entries like PX: live until the last millisecond, gone at it', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<string>(clock);
    map.set('k', 'v', 3_000);
    clock.advance(2_999);
    expect(map.get('k')).toBe('v');
    expect(map.ttl('k')).toBe(1);
    clock.advance(1);
    expect(map.get('k')).toBeUndefined();
    expect(map.ttl('k')).toBe(0);
  });

  it('counts whole milliseconds like Redis PTTL: a 3000 ms entry reports 3000, never 3001', () => {
    // (t + 3000) - t is 3000.000000000002 for these t: rounding that up gave 3001.
    for (const start of [15_077.649320192066, 8_387_586.952670283, 1_000.3]) {
      const clock = fakeClock(start);
      const map = new ExpiringMap<number>(clock);
      map.set('k', 1, 3_000);
      expect(map.ttl('k'), `from ${start}`).toBe(3_000);
      clock.advance(0.2); // within the same millisecond, unless it crossed one
      expect([3_000, 2_999]).toContain(map.ttl('k'));
    }
  });

  it('increment opens a window at the first hit and later ones keep its expiry (INCR + PEXPIRE)', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<number>(clock);
    expect(map.increment('c', 1_000)).toBe(1);
    clock.advance(600);
    expect(map.increment('c', 1_000)).toBe(2);
    expect(map.ttl('c')).toBe(400);
    clock.advance(400);
    expect(map.increment('c', 1_000)).toBe(1);
    expect(map.ttl('c')).toBe(1_000);
  });

  it('replace keeps the expiry (KEEPTTL) and creates nothing for an absent key', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<string>(clock);
    map.set('k', 'a', 1_000);
    clock.advance(300);
    expect(map.replace('k', 'b')).toBe(true);
    expect([map.get('k'), map.ttl('k')]).toEqual(['b', 700]);
    expect(map.replace('absent', 'x')).toBe(false);
    expect(map.get('absent')).toBeUndefined();
  });

  it('judges every call of one operation at the instant it is given', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<number>(clock);
    map.set('k', 1, 10);
    const at = map.now();
    clock.advance(50); // the clock moves on; the operation still reads at `at`
    expect(map.get('k', at)).toBe(1);
    expect(map.ttl('k', at)).toBe(10);
    expect(map.get('k')).toBeUndefined();
  });

  it('size counts live entries only; delete removes several keys', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<number>(clock);
    for (let i = 0; i < 5; i++) map.set(`short:${i}`, i, 10);
    map.set('long:a', 1, 1_000);
    map.set('long:b', 2, 1_000);
    expect(map.size).toBe(7);
    clock.advance(10);
    expect(map.size).toBe(2);
    map.delete('long:a', 'long:b', 'absent');
    expect(map.size).toBe(0);
  });

  it('sweeps expired entries that are never read again', () => {
    const clock = fakeClock();
    const map = new ExpiringMap<number>(clock);
    for (let i = 0; i < 1_000; i++) map.set(`gone:${i}`, i, 5);
    clock.advance(5);
    // Writes alone (no read of the expired keys) bring the map back to its live entries.
    for (let i = 0; i < 2_048; i++) map.set('live', i, 1_000);
    expect(map.size).toBe(1);
  });

  it('uses the monotonic performance.now() clock by default', () => {
    const map = new ExpiringMap<number>();
    const before = Math.floor(performance.now());
    expect(map.now()).toBeGreaterThanOrEqual(before);
    expect(Number.isInteger(map.now())).toBe(true);
  });
});
