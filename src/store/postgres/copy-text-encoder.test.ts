import { describe, expect, it } from 'vitest';
import { encodePositionsForCopy } from './copy-text-encoder.js';

describe('encodePositionsForCopy', () => {
  it('writes one tab-separated line per row in the stored units, "not available" as AIS writes it', () => {
    const line = encodePositionsForCopy([
      {
        vesselId: 7,
        sourceId: 2,
        row: { mmsi: 1, ts: 1700000000123, lat: 51.5, lon: -0.25, sog: null, cog: 12.5, heading: 90, navStatus: null, source: 'ais', score: 0.75 },
      },
    ]);
    expect(line).toBe('7\t1700000000123\t30900000\t-150000\t0.75\t1023\t125\t7770\t2\n');
  });
});
