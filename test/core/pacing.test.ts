import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, drain, reserve, tokenBucket, tryTake, worstBackoffMs } from '../../functions/core/pacing.ts';

/** Call times (ms, in order) and a bucket's size and rate. */
const scenario = fc.record({
  capacity: fc.integer({ min: 1, max: 50 }),
  perSecond: fc.integer({ min: 1, max: 400 }),
  gaps: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 300 }),
});
const timesOf = (gaps: number[]) => gaps.reduce<number[]>((acc, g) => [...acc, (acc.at(-1) ?? 0) + g], []);

/** The most calls falling in any window of `ms` among sorted instants. */
function busiestWindow(instants: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < instants.length; i++) {
    while (instants[i]! - instants[j]! > ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('pacing to a token bucket', () => {
  it('the caller never uses more than the bucket allows in any window, and uses the slots in call order', () => {
    fc.assert(fc.property(scenario, fc.integer({ min: 0, max: 5000 }), ({ capacity, perSecond, gaps }, window) => {
      const times = timesOf(gaps);
      const b = tokenBucket(capacity, perSecond, 0);
      const slots = times.map((t) => t + reserve(b, t));
      slots.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(times[i]!);
        if (i > 0) expect(s).toBeGreaterThanOrEqual(slots[i - 1]!);
      });
      // The burst plus what refills over the window.
      expect(busiestWindow(slots, window)).toBeLessThanOrEqual(capacity + Math.floor((window * perSecond) / 1000 + 1e-9));
    }));
  });

  it('a caller paced by reserve is never refused by a service enforcing the same bucket', () => {
    fc.assert(fc.property(scenario, ({ capacity, perSecond, gaps }) => {
      const client = tokenBucket(capacity, perSecond, 0);
      const service = tokenBucket(capacity, perSecond, 0);
      const slots = timesOf(gaps).map((t) => t + reserve(client, t));
      for (const s of slots) expect(tryTake(service, s)).toBe(true);
    }));
  });

  it('the service refuses what is over the bucket: a burst gets exactly the capacity, then the refill', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 300 }), (capacity, perSecond) => {
      const b = tokenBucket(capacity, perSecond, 0);
      const burst = Array.from({ length: capacity + 10 }, () => tryTake(b, 0));
      expect(burst.filter(Boolean)).toHaveLength(capacity);
      // One second later, the refill (capped at the capacity) and no more.
      const later = Array.from({ length: capacity + 10 }, () => tryTake(b, 1000));
      expect(later.filter(Boolean)).toHaveLength(Math.min(capacity, perSecond));
    }));
  });

  it('an idle bucket fills to its capacity and no further', () => {
    const b = tokenBucket(800, 150, 0);
    for (let i = 0; i < 800; i++) expect(reserve(b, 0)).toBe(0);
    expect(reserve(b, 0)).toBeCloseTo(1000 / 150, 9);
    const c = tokenBucket(800, 150, 0);
    expect(Array.from({ length: 801 }, () => reserve(c, 3_600_000)).filter((w) => w === 0)).toHaveLength(800);
  });

  it('a caller told it was throttled gives up what it thought it had: the next call waits for the refill', () => {
    const b = tokenBucket(50, 10, 0);
    expect(reserve(b, 0)).toBe(0);
    drain(b, 0);
    expect(reserve(b, 0)).toBeCloseTo(100, 9);
    // Waiting calls stay reserved: draining never gives a slot back.
    const c = tokenBucket(1, 10, 0);
    reserve(c, 0); reserve(c, 0);
    drain(c, 0);
    expect(reserve(c, 0)).toBeCloseTo(200, 9);
  });

  it('refuses a bucket that cannot hold a token or never refills', () => {
    expect(() => tokenBucket(0, 10, 0)).toThrow(/capacity/);
    expect(() => tokenBucket(10, 0, 0)).toThrow(/rate/);
  });
});

describe('jittered exponential backoff', () => {
  it('waits a random time below min(cap, base · 2^(n-1)), reaching the whole range', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 60_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, baseMs, capMs, r) => {
      const ceiling = Math.min(capMs, baseMs * 2 ** (n - 1));
      const d = backoffDelayMs(n, { baseMs, capMs }, () => r);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.max(1, ceiling));
    }));
    expect(backoffDelayMs(3, { baseMs: 100, capMs: 10_000 }, () => 0.999999)).toBe(399);
    expect(backoffDelayMs(30, { baseMs: 100, capMs: 10_000 }, () => 0.5)).toBe(5000);
  });

  it('the worst total wait is the sum of the ceilings before the last attempt', () => {
    expect(worstBackoffMs({ baseMs: 100, capMs: 1000, maxAttempts: 1 })).toBe(0);
    expect(worstBackoffMs({ baseMs: 100, capMs: 1000, maxAttempts: 6 })).toBe(100 + 200 + 400 + 800 + 1000);
  });
});
