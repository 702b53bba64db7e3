import { describe, expect, it } from 'vitest';
import { FusionLanes } from './fusion-lanes.js';
import { onTrack, report, T0 } from '../testing/fusion-test-reports.js';
import { seededRandom } from '../utils/seeded-random.js';
import { mmsiLane } from './mmsi-lane.js';

describe('mmsiLane', () => {
  it('is deterministic and in range', () => {
    for (let m = 200_000_000; m < 200_001_000; m++) {
      const l = mmsiLane(m, 7);
      expect(l).toBeGreaterThanOrEqual(0);
      expect(l).toBeLessThan(7);
      expect(mmsiLane(m, 7)).toBe(l);
    }
    expect(mmsiLane(Number.NaN, 4)).toBe(0);
  });

  it('spreads sequential MMSIs evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let m = 244_000_000; m < 244_040_000; m++) counts[mmsiLane(m, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(9_000);
  });
});

describe('FusionLanes', () => {
  it('routes each vessel to exactly one lane', () => {
    const lanes = new FusionLanes({ lanes: 4 });
    for (let i = 0; i < 200; i++) lanes.offer(onTrack(0, { mmsi: 211_000_000 + i }), T0);
    let total = 0;
    for (let l = 0; l < 4; l++) {
      const n = lanes.lane(l).stats().vessels;
      expect(n).toBeGreaterThan(0);
      total += n;
    }
    expect(total).toBe(200);
    for (let i = 0; i < 200; i++) {
      const mmsi = 211_000_000 + i;
      for (let l = 0; l < 4; l++) expect(lanes.lane(l).liveTs(mmsi) !== null).toBe(l === lanes.laneOf(mmsi));
    }
    expect(lanes.stats()).toMatchObject({ offered: 200, live: 200, vessels: 200 });
  });

  it('shares one source quality across lanes', () => {
    const lanes = new FusionLanes({ lanes: 4 });
    const rnd = seededRandom(7);
    // a broken station reports nonsense for many different vessels, so every lane sees it
    for (let i = 0; i < 40; i++) {
      const mmsi = 211_000_000 + (i % 8);
      const ms = Math.floor(i / 8) * 10_000;
      lanes.offer(onTrack(ms, { mmsi, source: 'good' }), T0 + ms);
      lanes.offer(report({ mmsi, ts: T0 + ms + 1_000, source: 'broken', lat: 40 + rnd() * 10, lon: rnd() * 10 }), T0 + ms + 1_000);
    }
    const q = lanes.sourceQuality();
    expect(q.broken).toBeLessThan(0.5);
    expect(q.good).toBeGreaterThan(0.9);
    for (let l = 0; l < 4; l++) expect(lanes.lane(l).sourceQuality().broken).toBe(q.broken);
    expect(lanes.evidenceTotals().own_jump).toBeGreaterThan(0);
  });

  it('prune reaches every lane', () => {
    const lanes = new FusionLanes({ lanes: 3, config: { vesselIdleMs: 60_000 } });
    for (let i = 0; i < 30; i++) lanes.offer(onTrack(0, { mmsi: 211_000_000 + i }), T0);
    expect(lanes.prune(T0 + 61_000)).toBe(30);
    expect(lanes.stats().vessels).toBe(0);
  });

  it('refuses a nonsense lane count', () => {
    expect(() => new FusionLanes({ lanes: 0 })).toThrow(/lanes/);
  });
});
