import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, decideRetry } from './backoff.js';

const opts = { baseMs: 100, maxMs: 10_000, maxAttempts: 4 };

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffCeiling(a, opts))).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000]);
    expect(backoffCeiling(10_000, opts)).toBe(10_000);
    expect(backoffCeiling(0, opts)).toBe(100);
    expect(backoffCeiling(Number.NaN, opts)).toBe(100);
  });

  it('full jitter: the delay spans [0, ceiling] with the random source', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(3, opts, () => 0.999999)).toBe(399);
  });

  it('never negative, never above the cap, even with a broken random source', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5000 }), fc.double(), (attempt, r) => {
        const d = backoffDelay(attempt, opts, () => r);
        return Number.isInteger(d) && d >= 0 && d <= opts.maxMs;
      }),
    );
  });

  it('retries until the budget is spent, then parks', () => {
    const r = () => 0.5;
    expect(decideRetry(1, 1000, opts, r)).toEqual({ action: 'retry', delayMs: 50, nextAttemptAt: 1050 });
    expect(decideRetry(3, 1000, opts, r)).toEqual({ action: 'retry', delayMs: 200, nextAttemptAt: 1200 });
    expect(decideRetry(4, 1000, opts, r)).toEqual({ action: 'park' });
    expect(decideRetry(99, 1000, opts, r)).toEqual({ action: 'park' });
  });
});
