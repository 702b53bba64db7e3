import { describe, expect, it } from 'vitest';
import type { LiveFleet, LiveVessel } from '../../store/redis/live-fleet.js';
import { directionOf, fleetJson, inBox } from './fleet-json.js';

const NOW = Date.UTC(2024, 5, 1, 12);
const vessel = (mmsi: number, lat: number, lon: number, over: Partial<LiveVessel> = {}): LiveVessel => ({
  mmsi,
  ts: NOW - 30_000,
  lat,
  lon,
  sog: 5,
  cog: 90,
  heading: 80,
  navStatus: 0,
  shipType: 70,
  name: `V${mmsi}`,
  callsign: null,
  ...over,
});
const fleet = (vessels: LiveVessel[], total = vessels.length, truncated = false): LiveFleet => ({ total, vessels, truncated });
const all = { box: null, maxAgeMs: null, limit: 1000 };

describe('fleetJson', () => {
  it('encodes vessels as columns, rounding positions to 1e-5 degrees', () => {
    const j = fleetJson(
      fleet([vessel(1, 51.123456789, 4.987654321), vessel(2, -33.9, 18.4, { heading: null, name: null, shipType: null, ts: NOW - 3_600_000 })]),
      all,
      NOW,
    );
    expect(j).toEqual({
      time: NOW,
      total: 2,
      live: 2,
      count: 2,
      truncated: false,
      mmsi: [1, 2],
      lat: [51.12346, -33.9],
      lon: [4.98765, 18.4],
      dir: [80, 90],
      sog: [5, 5],
      shipType: [70, null],
      age: [30, 3600],
      name: ['V1', null],
    });
  });

  it('keeps only the box, across the antimeridian too, and the maximum age', () => {
    const vs = [vessel(1, 10, 179.5), vessel(2, 10, -179.5), vessel(3, 10, 0), vessel(4, 50, 179.9), vessel(5, 10, 179.8, { ts: NOW - 120_000 })];
    expect(fleetJson(fleet(vs), { ...all, box: { west: 179, south: 0, east: -179, north: 20 } }, NOW).mmsi).toEqual([1, 2, 5]);
    expect(fleetJson(fleet(vs), { ...all, box: { west: 179, south: 0, east: -179, north: 20 }, maxAgeMs: 60_000 }, NOW).mmsi).toEqual([1, 2]);
  });

  it('caps the answer at limit and says it is truncated; a truncated read stays truncated', () => {
    const vs = Array.from({ length: 10 }, (_, i) => vessel(i, 0, i));
    const capped = fleetJson(fleet(vs), { ...all, limit: 4 }, NOW);
    expect(capped.count).toBe(4);
    expect(capped.mmsi).toEqual([0, 1, 2, 3]);
    expect(capped.truncated).toBe(true);
    expect(fleetJson(fleet(vs), { ...all, limit: 10 }, NOW).truncated).toBe(false);
    expect(fleetJson(fleet(vs, 500, true), all, NOW)).toMatchObject({ truncated: true, total: 500, live: 10 });
  });
});

describe('directionOf', () => {
  it('is the heading, else the course, else null', () => {
    expect(directionOf({ heading: 0, cog: 90 })).toBe(0);
    expect(directionOf({ heading: null, cog: 359.9 })).toBe(359.9);
    expect(directionOf({ heading: null, cog: null })).toBeNull();
    expect(directionOf({ heading: 511, cog: 360 })).toBeNull();
  });
});

describe('inBox', () => {
  it('includes the edges', () => {
    const box = { west: 3, south: 51, east: 5, north: 52 };
    expect(inBox(box, 51, 3)).toBe(true);
    expect(inBox(box, 52, 5)).toBe(true);
    expect(inBox(box, 52.0001, 4)).toBe(false);
    expect(inBox(box, 51.5, 5.0001)).toBe(false);
  });
});
