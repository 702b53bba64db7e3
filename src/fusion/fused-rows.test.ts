import { describe, expect, it } from 'vitest';
import { FusedRows } from './fused-rows.js';
import { report } from '../testing/fusion-test-reports.js';

describe('FusedRows', () => {
  it('reads back every field as given, unknown numbers as null, and serializes as the plain row', () => {
    const rows = new FusedRows();
    const msg = report({ mmsi: 244_660_000, lat: -33.25, lon: -0, sog: null, cog: 359.9, heading: null, navStatus: 0, source: 'rx-a' });
    const row = rows.row(msg, 'rx-a', 1_700_000_000_123, 0.75);
    const plain = {
      mmsi: 244_660_000,
      ts: 1_700_000_000_123,
      lat: -33.25,
      lon: -0,
      sog: null,
      cog: 359.9,
      heading: null,
      navStatus: 0,
      source: 'rx-a',
      score: 0.75,
    };
    // JSON has no -0.
    expect(JSON.parse(JSON.stringify(row))).toEqual({ ...plain, lon: 0 });
    expect(Object.is(row.lon, -0)).toBe(true);
    expect(JSON.stringify([row])).toBe(JSON.stringify([plain]));
    expect(row).toMatchObject(plain);
  });

  it('treats non-finite speeds and headings as unknown, as the plain rows did', () => {
    const rows = new FusedRows();
    const row = rows.row(report({ sog: Number.POSITIVE_INFINITY, cog: Number.NaN, heading: 511.5 }), 's', 1, 1);
    expect([row.sog, row.cog, row.heading]).toEqual([null, null, 511.5]);
  });

  it('keeps every row intact across many chunks', () => {
    const rows = new FusedRows();
    const made = Array.from({ length: 10_000 }, (_, i) =>
      rows.row(report({ mmsi: 200_000_000 + i, lat: i / 1000, sog: i % 7 === 0 ? null : i / 10 }), `s${i % 5}`, 1_000 + i, i / 10_000),
    );
    made.forEach((r, i) => {
      expect(r.mmsi).toBe(200_000_000 + i);
      expect(r.ts).toBe(1_000 + i);
      expect(r.lat).toBe(i / 1000);
      expect(r.sog).toBe(i % 7 === 0 ? null : i / 10);
      expect(r.source).toBe(`s${i % 5}`);
      expect(r.score).toBe(i / 10_000);
    });
  });
});
