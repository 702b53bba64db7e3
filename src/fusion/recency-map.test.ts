import { describe, expect, it } from 'vitest';
import { insertEntry, refreshEntry } from './recency-map.js';

function use(map: Map<string, number>, key: string, value: number, cap: number): boolean {
  if (map.has(key)) {
    map.set(key, value);
    refreshEntry(map, key, value, cap);
    return false;
  }
  return insertEntry(map, key, value, cap);
}

describe('recency map', () => {
  it('below half full, a use keeps the order', () => {
    const m = new Map<string, number>();
    for (const k of ['a', 'b', 'c']) use(m, k, 0, 8);
    use(m, 'a', 1, 8);
    expect([...m]).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 0],
    ]);
  });

  it('from half full on, a use moves the entry to the back', () => {
    const m = new Map<string, number>();
    for (const k of ['a', 'b', 'c', 'd']) use(m, k, 0, 8);
    use(m, 'a', 1, 8);
    expect([...m.keys()]).toEqual(['b', 'c', 'd', 'a']);
    expect(m.get('a')).toBe(1);
  });

  it('at the cap, evicts an entry not used since the map passed half full, never one used since', () => {
    const m = new Map<string, number>();
    const cap = 6;
    for (const k of ['a', 'b', 'c']) use(m, k, 0, cap); // half full now
    use(m, 'a', 0, cap); // used after passing half: moves to the back
    for (const k of ['d', 'e', 'f']) use(m, k, 0, cap); // full: b c d e f... order b, c, a, d, e, f
    expect(m.size).toBe(cap);
    expect(use(m, 'g', 0, cap)).toBe(true);
    expect(use(m, 'h', 0, cap)).toBe(true);
    // b and c were not used since the map passed half: they go first; a stays.
    expect([...m.keys()]).toEqual(['a', 'd', 'e', 'f', 'g', 'h']);
  });

  it('never grows past the cap and counts every eviction', () => {
    const m = new Map<number, number>();
    let evicted = 0;
    for (let i = 0; i < 1_000; i++) if (insertEntry(m, i, i, 10)) evicted++;
    expect(m.size).toBe(10);
    expect(evicted).toBe(990);
    expect([...m.keys()]).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
  });
});
