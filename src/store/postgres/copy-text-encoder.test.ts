import { describe, expect, it } from 'vitest';
import { encodePositionsForCopy } from './copy-text-encoder.js';

describe('encodePositionsForCopy', () => {
  it('writes one tab-separated line per row with \\N for nulls', () => {
    const line = encodePositionsForCopy([
      {
        vesselId: 7,
        row: { mmsi: 1, ts: 1700000000123, lat: 51.5, lon: -0.25, sog: null, cog: 12.5, heading: 90, navStatus: null, source: 'ais', score: 0.75 },
      },
    ]);
    expect(line).toBe('7\t1700000000123\t51.5\t-0.25\t\\N\t12.5\t90\t\\N\tais\t0.75\n');
  });

  it('escapes characters that would break the COPY text format, and rounds smallint columns', () => {
    const line = encodePositionsForCopy([
      { vesselId: 1, row: { mmsi: 1, ts: 1, lat: 0, lon: 0, sog: 0, cog: 0, heading: 89.6, navStatus: 1, source: 'a\tb\\c\nd\re', score: 1 } },
    ]);
    expect(line).toBe('1\t1\t0\t0\t0\t0\t90\t1\ta\\tb\\\\c\\nd\\re\t1\n');
  });
});
