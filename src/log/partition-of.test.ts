import { describe, expect, it } from 'vitest';
import { DEFAULT_PARTITIONS, partitionOf } from './partition-of.js';

describe('partitionOf', () => {
  it('is stable: the same MMSI always lands in the same partition (wire contract)', () => {
    // Fixed values: changing the hash would move vessels between partitions of a live stream.
    expect([244660000, 366999712, 211331640, 1, 999999999].map((m) => partitionOf(m, DEFAULT_PARTITIONS))).toEqual([12, 1, 23, 23, 18]);
  });

  it('stays within 0..P-1 and spreads a dense MMSI block evenly', () => {
    const counts = new Array<number>(DEFAULT_PARTITIONS).fill(0);
    for (let mmsi = 244_000_000; mmsi < 244_032_000; mmsi++) {
      const p = partitionOf(mmsi, DEFAULT_PARTITIONS);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(DEFAULT_PARTITIONS);
      counts[p] = (counts[p] ?? 0) + 1;
    }
    // 1000 per partition on average; a plain modulo of a dense block would also be even, but a
    // block stepping by P (one fleet's numbering) would not: checked below.
    for (const c of counts) expect(c).toBeGreaterThan(800);
    const strided = new Set<number>();
    for (let i = 0; i < 1000; i++) strided.add(partitionOf(244_000_000 + i * DEFAULT_PARTITIONS, DEFAULT_PARTITIONS));
    expect(strided.size).toBe(DEFAULT_PARTITIONS);
  });
});
