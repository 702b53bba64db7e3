import { describe, expect, it } from 'vitest';
import { ExpiryRefresh } from './expiry-refresh.js';

describe('ExpiryRefresh', () => {
  it('sets the minimum life and an eighth, and is due once an eighth has passed since a renewal', () => {
    let now = 1_000;
    const r = new ExpiryRefresh(4, 8_000, () => now);
    expect(r.expiryMs).toBe(9_000);
    expect(r.due(2, r.now())).toBe(true);
    r.renewed([2], now);
    now += 999;
    expect(r.due(2, r.now())).toBe(false);
    expect(r.due(3, r.now())).toBe(true);
    now += 1;
    expect(r.due(2, r.now())).toBe(true);
  });

  it('never moves a renewal back when an older call completes last', () => {
    const r = new ExpiryRefresh(1, 8_000, () => 0);
    r.renewed([0], 5_000);
    r.renewed([0], 4_000);
    expect(r.due(0, 5_999)).toBe(false);
    expect(r.due(0, 6_000)).toBe(true);
  });
});
