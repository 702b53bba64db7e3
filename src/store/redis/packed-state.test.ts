import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../store-types.js';
import { decodePosition, packPositions } from './packed-state.js';

const row = (mmsi: number, source: string, over: Partial<PositionRow> = {}): PositionRow => ({
  mmsi,
  ts: 1_717_200_000_123,
  lat: 51.95,
  lon: -4.05,
  sog: 12.3,
  cog: 231.5,
  heading: 230,
  navStatus: 5,
  source,
  score: 0.75,
  ...over,
});

/** Splits packPositions' output back into (mmsi, stored value) records. */
function records(buf: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  for (let at = 0; at < buf.length;) {
    const len = buf.readUInt32LE(at);
    const rec = buf.subarray(at + 4, at + 4 + len);
    out.push([rec.readUInt32LE(0), rec.subarray(4)]);
    at += 4 + len;
  }
  return out;
}

describe('packPositions', () => {
  it('packs each position as its length, mmsi and stored value, multi-byte sources and unknowns included', () => {
    const rows = [row(244_000_001, 'rx-north'), row(244_000_002, 'Ålesund ☂', { sog: null, cog: null, heading: null, navStatus: null }), row(244_000_003, '')];
    const got = records(packPositions(rows));
    expect(got.map(([m]) => m)).toEqual([244_000_001, 244_000_002, 244_000_003]);
    expect(got.map(([, v]) => decodePosition(v))).toEqual([
      { ts: 1_717_200_000_123, score: 0.75, lat: 51.95, lon: -4.05, sog: 12.3, cog: 231.5, heading: 230, navStatus: 5, source: 'rx-north' },
      { ts: 1_717_200_000_123, score: 0.75, lat: 51.95, lon: -4.05, sog: null, cog: null, heading: null, navStatus: null, source: 'Ålesund ☂' },
      { ts: 1_717_200_000_123, score: 0.75, lat: 51.95, lon: -4.05, sog: 12.3, cog: 231.5, heading: 230, navStatus: 5, source: '' },
    ]);
  });

  it('packs nothing for no rows', () => {
    expect(packPositions([]).length).toBe(0);
  });
});
