import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AREA,
  MIDS,
  advanceTrack,
  createVesselTrack,
  isValidImo,
  makeImo,
  makeMmsi,
  positionBefore,
  reportIntervalMs,
  type VesselTrack,
} from './vessel-track.js';
import { seededRandom } from '../utils/seeded-random.js';
import { isShipMid } from '../normalize/mid-table.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

/** Great-circle distance in nautical miles. */
function distanceNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * Math.asin(Math.sqrt(a)) * (180 / Math.PI) * 60;
}

describe('identities', () => {
  it('makes unique 9-digit ship MMSIs with real MIDs', () => {
    const rng = seededRandom(1);
    const taken = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const m = makeMmsi(rng, taken);
      expect(m).toBeGreaterThanOrEqual(200_000_000);
      expect(m).toBeLessThan(800_000_000);
      expect(isShipMid(Math.floor(m / 1_000_000))).toBe(true);
    }
    expect(taken.size).toBe(2000);
    for (const mid of MIDS) expect(isShipMid(mid)).toBe(true);
  });

  it('makes IMO numbers with a valid check digit', () => {
    const rng = seededRandom(2);
    for (let i = 0; i < 500; i++) expect(isValidImo(makeImo(rng))).toBe(true);
    expect(isValidImo(9074729)).toBe(true); // a real IMO number
    expect(isValidImo(9074728)).toBe(false);
  });
});

describe('report intervals (ITU-R M.1371-5 table 1)', () => {
  const track = (over: Partial<VesselTrack>): VesselTrack => ({
    ...createVesselTrack(seededRandom(3), { mmsi: 244000001, classB: false, startTimeMs: T0 }),
    ...over,
  });
  it('class A depends on status, speed and turning', () => {
    expect(reportIntervalMs(track({ navStatus: 1, sog: 0.2 }))).toBe(180_000);
    expect(reportIntervalMs(track({ navStatus: 0, sog: 10, rot: 0 }))).toBe(10_000);
    expect(reportIntervalMs(track({ navStatus: 0, sog: 10, rot: 12 }))).toBe(3_333);
    expect(reportIntervalMs(track({ navStatus: 0, sog: 18, rot: 0 }))).toBe(6_000);
    expect(reportIntervalMs(track({ navStatus: 0, sog: 18, rot: -12 }))).toBe(2_000);
    expect(reportIntervalMs(track({ navStatus: 0, sog: 24, rot: 0 }))).toBe(2_000);
  });
  it('class B CS: 30 s under way, 3 min at 2 kn or less', () => {
    expect(reportIntervalMs(track({ classB: true, sog: 6 }))).toBe(30_000);
    expect(reportIntervalMs(track({ classB: true, sog: 1 }))).toBe(180_000);
  });
});

describe('motion', () => {
  it('is deterministic for a seed', () => {
    const run = (): number[] => {
      const rng = seededRandom(42);
      const t = createVesselTrack(rng, { mmsi: 235000001, classB: false, startTimeMs: T0 });
      advanceTrack(t, T0 + 3_600_000, rng);
      return [t.lat, t.lon, t.sog, t.cog];
    };
    expect(run()).toEqual(run());
  });

  it('moves at the reported speed, turns slowly, stays in its area (100 vessels, 4 hours)', () => {
    const rng = seededRandom(7);
    const taken = new Set<number>();
    const problems: string[] = [];
    const slack = 0.2;
    for (let v = 0; v < 100; v++) {
      const t = createVesselTrack(rng, { mmsi: makeMmsi(rng, taken), classB: v % 3 === 0, startTimeMs: T0 });
      for (let step = 1; step <= 4 * 360; step++) {
        const { lat, lon, sog, cog } = t;
        advanceTrack(t, T0 + step * 10_000, rng);
        // 10 s at the mean of the two speeds, within rounding of the flat-earth step.
        const expected = ((sog + t.sog) / 2) * (10 / 3600);
        const moved = distanceNm(lat, lon, t.lat, t.lon);
        if (Math.abs(moved - expected) > 0.002 + expected * 0.01) problems.push(`${t.mmsi} moved ${moved} nm, expected ${expected}`);
        const turn = Math.abs(((t.cog - cog + 540) % 360) - 180);
        if (turn > 20 * (10 / 60) + 1e-9) problems.push(`${t.mmsi} turned ${turn} deg in 10 s`);
        if (t.sog < 0 || t.sog > 25) problems.push(`${t.mmsi} sog ${t.sog}`);
        const a = DEFAULT_AREA;
        if (t.lat < a.minLat - slack || t.lat > a.maxLat + slack || t.lon < a.minLon - slack || t.lon > a.maxLon + slack) {
          problems.push(`${t.mmsi} left the area at ${t.lat},${t.lon}`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('bounds the work when the clock jumps far ahead', () => {
    const rng = seededRandom(11);
    const t = createVesselTrack(rng, { mmsi: 211000003, classB: false, startTimeMs: T0 });
    advanceTrack(t, T0 + 10 * 365 * 86_400_000, rng);
    expect(t.tMs).toBe(T0 + 10 * 365 * 86_400_000);
    expect(Math.abs(t.lat)).toBeLessThan(90);
  });

  it('reckons backward along the course', () => {
    const rng = seededRandom(9);
    const t = createVesselTrack(rng, { mmsi: 211000002, classB: false, startTimeMs: T0 });
    t.sog = 12;
    t.cog = 90;
    const back = positionBefore(t, 5 * 60_000);
    expect(distanceNm(back.lat, back.lon, t.lat, t.lon)).toBeCloseTo(1, 2);
    expect(back.lon).toBeLessThan(t.lon);
  });
});
