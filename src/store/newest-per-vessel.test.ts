import { describe, expect, it } from 'vitest';
import type { PositionRow } from './store-types.js';
import { newestPerVessel } from './newest-per-vessel.js';

function row(mmsi: number, ts: number, score = 1): PositionRow {
  return { mmsi, ts, lat: 0, lon: 0, sog: null, cog: null, heading: null, navStatus: null, source: 'rx', score };
}

describe('newestPerVessel', () => {
  it('keeps only rows that move live state, newest per vessel, highest score on a tie', () => {
    const rows = [row(1, 10), row(2, 5), row(1, 30), row(1, 20), row(3, 7), row(2, 5, 2), row(4, 99)];
    const live = [true, true, true, true, true, true, false];
    const got = newestPerVessel(rows, live);
    expect(got).toEqual([row(1, 30), row(2, 5, 2), row(3, 7)]);
  });

  it('sends nothing for a batch of history rows', () => {
    expect(newestPerVessel([row(1, 1), row(2, 2)], [false, false])).toEqual([]);
  });

  it('takes every row without a live mask', () => {
    expect(newestPerVessel([row(1, 10), row(2, 5), row(1, 9), row(2, 5, 3)])).toEqual([row(1, 10), row(2, 5, 3)]);
  });
});
