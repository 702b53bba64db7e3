import { describe, expect, it } from 'vitest';
import { isRetryableTransactionError, retryDelayMs } from './retryable-error.js';

describe('retryable transaction errors', () => {
  it('retries deadlocks and serialization failures only', () => {
    expect(isRetryableTransactionError({ code: '40P01' })).toBe(true);
    expect(isRetryableTransactionError({ code: '40001' })).toBe(true);
    expect(isRetryableTransactionError({ code: '23505' })).toBe(false);
    expect(isRetryableTransactionError(new Error('x'))).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(0, () => 0.999)).toBe(9);
    expect(retryDelayMs(3, () => 0.5)).toBe(40);
    expect(retryDelayMs(20, () => 0.999)).toBe(499);
    expect(retryDelayMs(5, () => 0)).toBe(0);
  });
});
