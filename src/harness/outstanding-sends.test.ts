import { describe, expect, it } from 'vitest';
import { seededRandom } from '../utils/seeded-random.js';
import { OutstandingSends } from './outstanding-sends.js';

describe('OutstandingSends', () => {
  it('counts per send, forgets settled ones, and reads 0 for sends never set', () => {
    const o = new OutstandingSends();
    o.set(0, 2);
    o.set(1, 1);
    o.set(3, 4);
    expect([o.get(0), o.get(1), o.get(2), o.get(3), o.get(99)]).toEqual([2, 1, 0, 4, 0]);
    o.set(0, 1);
    o.delete(1);
    expect([o.get(0), o.get(1), o.size]).toEqual([1, 0, 2]);
    o.delete(0);
    o.delete(3);
    expect(o.size).toBe(0);
  });

  it('starts its window at the first send, whatever its number', () => {
    const o = new OutstandingSends();
    o.set(1_000_000_000, 3);
    o.set(1_000_000_001, 1);
    expect([o.get(1_000_000_000), o.get(1_000_000_001), o.size]).toEqual([3, 1, 2]);
  });

  it('agrees with a Map over a long random run with sends stuck far behind (the ring grows)', () => {
    const rnd = seededRandom(11);
    const o = new OutstandingSends();
    const ref = new Map<number, number>();
    // The outstanding sends, to pick from (swap-remove).
    const live: number[] = [];
    let next = 0;
    for (let step = 0; step < 100_000; step++) {
      if (rnd() < 0.5 || live.length === 0) {
        const n = 1 + Math.floor(rnd() * 3);
        o.set(next, n);
        ref.set(next, n);
        live.push(next);
        next++;
        continue;
      }
      // Settle one message of a random outstanding send; every 1000th send stays for good.
      const at = Math.floor(rnd() * live.length);
      const seq = live[at] as number;
      if (seq % 1000 === 7) continue;
      const left = (ref.get(seq) as number) - 1;
      if (left > 0) {
        ref.set(seq, left);
        o.set(seq, left);
      } else {
        ref.delete(seq);
        o.delete(seq);
        live[at] = live[live.length - 1] as number;
        live.pop();
      }
      if (step % 4999 === 0) for (const [k, v] of ref) expect(o.get(k)).toBe(v);
    }
    for (const [k, v] of ref) expect(o.get(k)).toBe(v);
    expect(o.size).toBe(ref.size);
  });
});
