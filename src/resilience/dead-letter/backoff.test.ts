import { describe, expect, it } from 'vitest';
import { decideRetry } from './backoff.js';

const opts = { baseMs: 100, maxMs: 10_000, maxAttempts: 4 };

describe('decideRetry', () => {
  it('retries until the budget is spent, then parks', () => {
    const r = () => 0.5;
    expect(decideRetry(1, 1000, opts, r)).toEqual({ action: 'retry', delayMs: 50, nextAttemptAt: 1050 });
    expect(decideRetry(3, 1000, opts, r)).toEqual({ action: 'retry', delayMs: 200, nextAttemptAt: 1200 });
    expect(decideRetry(4, 1000, opts, r)).toEqual({ action: 'park' });
    expect(decideRetry(99, 1000, opts, r)).toEqual({ action: 'park' });
  });
});
