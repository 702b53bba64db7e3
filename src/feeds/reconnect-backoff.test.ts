import { describe, expect, it } from 'vitest';
import { ReconnectBackoff } from './reconnect-backoff.js';

describe('ReconnectBackoff', () => {
  const opts = { baseMs: 100, maxMs: 1_000 };

  it('doubles the ceiling per failure up to the cap, with the delay uniform below it (full jitter)', () => {
    const top = new ReconnectBackoff(opts, () => 0.999_999);
    expect(Array.from({ length: 6 }, () => top.next())).toEqual([99, 199, 399, 799, 999, 999]);
    const half = new ReconnectBackoff(opts, () => 0.5);
    expect(Array.from({ length: 5 }, () => half.next())).toEqual([50, 100, 200, 400, 500]);
    const none = new ReconnectBackoff(opts, () => 0);
    expect(none.next()).toBe(0);
  });

  it('never attempts forever at the cap without bound, and never returns a bad delay', () => {
    const b = new ReconnectBackoff(opts, () => Number.NaN);
    for (let i = 0; i < 10_000; i++) {
      const d = b.next();
      expect(d >= 0 && d <= opts.maxMs).toBe(true);
    }
    expect(b.attempts).toBe(10_000);
  });

  it('starts over after a connection that delivered data', () => {
    const b = new ReconnectBackoff(opts, () => 0.999_999);
    b.next();
    b.next();
    b.next();
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(99);
  });
});
