import { describe, expect, it } from 'vitest';
import { isRetryableTransactionError } from './retryable-error.js';

describe('retryable transaction errors', () => {
  it('retries deadlocks and serialization failures only', () => {
    expect(isRetryableTransactionError({ code: '40P01' })).toBe(true);
    expect(isRetryableTransactionError({ code: '40001' })).toBe(true);
    expect(isRetryableTransactionError({ code: '23505' })).toBe(false);
    expect(isRetryableTransactionError(new Error('x'))).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });
});
