import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff-delay.js';

const opts = { baseMs: 100, maxMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffCeiling(a, opts))).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000]);
    expect(backoffCeiling(10_000, opts)).toBe(10_000);
    expect(backoffCeiling(0, opts)).toBe(100);
    expect(backoffCeiling(Number.NaN, opts)).toBe(100);
  });

  it('full jitter: the delay spans [0, ceiling) with the random source', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(3, opts, () => 0.999999)).toBe(399);
  });

  it('the history writer deadlock retries: 10 ms doubling to 500 ms', () => {
    const writer = { baseMs: 10, maxMs: 500 };
    expect(backoffDelay(1, writer, () => 0.999)).toBe(9);
    expect(backoffDelay(4, writer, () => 0.5)).toBe(40);
    expect(backoffDelay(21, writer, () => 0.999)).toBe(499);
    expect(backoffDelay(6, writer, () => 0)).toBe(0);
  });

  it('never negative, never above the cap, even with a broken random source', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5000 }), fc.double(), (attempt, r) => {
        const d = backoffDelay(attempt, opts, () => r);
        return Number.isInteger(d) && d >= 0 && d <= opts.maxMs;
      }),
    );
  });
});
