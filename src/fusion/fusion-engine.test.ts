import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FusionDecision } from './fusion-decision.js';
import { FusionEngine } from './fusion-engine.js';
import { resolveFusionConfig } from './fusion-config.js';
import { alongTrack, onTrack, report, T0 } from '../testing/fusion-test-reports.js';
import { seededRandom } from '../utils/seeded-random.js';

const weights = { a: 0.6, b: 1.0, c: 0.8, spoof: 1.0 };

function kinds(ds: FusionDecision[]): string[] {
  return ds.map((d) => d.kind);
}

describe('duplicates across receivers', () => {
  it('collapse onto one row at the kept report time and keep the best score', () => {
    const e = new FusionEngine({ config: { sourceWeights: weights } });
    const wm = T0 + 1_000;
    const c = e.offer(onTrack(0, { source: 'c' }), wm);
    // Other receivers heard the same transmission, stamped by their own clocks.
    const a = e.offer(onTrack(0, { source: 'a', ts: T0 + 400 }), wm);
    const b = e.offer(onTrack(0, { source: 'b', ts: T0 + 800 }), wm);
    expect(kinds([c, a, b])).toEqual(['live', 'duplicate', 'upgrade']);
    expect(c.rowTs).toBe(T0);
    expect(a.rowTs).toBe(T0);
    expect(b.rowTs).toBe(T0);
    expect(b.row?.ts).toBe(T0);
    expect(b.row?.source).toBe('b');
    expect(b.score).toBeCloseTo(1.0);
    expect(b.movesLive).toBe(true);
    expect(a.row).toBeNull();
    // a later, worse copy cannot downgrade the upgraded group
    const c2 = e.offer(onTrack(0, { source: 'c', ts: T0 + 100 }), wm);
    expect(c2.kind).toBe('duplicate');
    expect(e.stats()).toMatchObject({ live: 1, duplicate: 2, upgrade: 1 });
  });

  it('treats the same receiver repeating itself as a duplicate', () => {
    const e = new FusionEngine();
    const first = e.offer(onTrack(0), T0);
    const again = e.offer(onTrack(0), T0);
    expect(first.kind).toBe('live');
    expect(again.kind).toBe('duplicate');
  });

  it('does not merge reports outside the time or distance tolerance', () => {
    const e = new FusionEngine({ config: { duplicateTimeToleranceMs: 1_000, duplicateDistanceM: 50 } });
    e.offer(onTrack(0, { source: 'a' }), T0);
    const later = e.offer(onTrack(2_000, { source: 'b' }), T0 + 2_000);
    expect(later.kind).toBe('live');
    // same instant, 300 m apart: not one transmission (but not implausible either)
    const moved = e.offer(report({ source: 'c', ts: T0 + 2_000, ...alongTrack(2_000 + 60_000) }), T0 + 2_000);
    expect(moved.kind).not.toBe('duplicate');
  });

  it('upgrade of a row that is no longer live does not move live state', () => {
    const e = new FusionEngine({ config: { sourceWeights: weights } });
    e.offer(onTrack(0, { source: 'a' }), T0);
    e.offer(onTrack(10_000, { source: 'a' }), T0 + 10_000);
    const up = e.offer(onTrack(0, { source: 'b', ts: T0 + 200 }), T0 + 10_000);
    expect(up.kind).toBe('upgrade');
    expect(up.rowTs).toBe(T0);
    expect(up.movesLive).toBe(false);
    expect(e.liveTs(244_660_000)).toBe(T0 + 10_000);
  });
});

describe('late and out-of-order reports', () => {
  it('never move live state backwards', () => {
    const e = new FusionEngine();
    expect(e.offer(onTrack(100_000), T0 + 100_000).kind).toBe('live');
    const older = e.offer(onTrack(90_000, { source: 'b' }), T0 + 100_000);
    expect(older).toMatchObject({ kind: 'history', reason: 'older_than_live', movesLive: false, rowTs: T0 + 90_000 });
    expect(e.liveTs(244_660_000)).toBe(T0 + 100_000);
  });

  it('report older than the lateness window is history even for a new vessel', () => {
    const e = new FusionEngine({ config: { latenessMs: 60_000 } });
    const d = e.offer(onTrack(0, { mmsi: 211_000_001 }), T0 + 61_000);
    expect(d).toMatchObject({ kind: 'history', reason: 'late', movesLive: false });
    expect(e.stats().late).toBe(1);
    // ... and within the window it would have been live
    const fresh = new FusionEngine({ config: { latenessMs: 60_000 } });
    expect(fresh.offer(onTrack(0, { mmsi: 211_000_002 }), T0 + 59_000).kind).toBe('live');
  });

  it('uses event time: a replay of old data behaves like a live feed', () => {
    const e = new FusionEngine();
    const old = Date.UTC(2009, 5, 1);
    const d1 = e.offer(report({ ts: old, source: 'a' }), old);
    const d2 = e.offer(report({ ts: old + 10_000, source: 'a', lon: 4.0008 }), old + 10_000);
    expect(kinds([d1, d2])).toEqual(['live', 'live']);
  });

  it('a watermark that goes backwards or is not finite is ignored', () => {
    const e = new FusionEngine({ config: { latenessMs: 60_000 } });
    e.offer(onTrack(0, { mmsi: 211_000_003 }), T0 + 600_000);
    const d = e.offer(onTrack(0, { mmsi: 211_000_004 }), Number.NaN);
    expect(d.reason).toBe('late');
    const d2 = e.offer(onTrack(0, { mmsi: 211_000_005 }), T0);
    expect(d2.reason).toBe('late');
  });

  it('property: live decisions of a vessel are strictly increasing in time, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 600_000 }), src: fc.constantFrom('a', 'b', 'c'), wmLag: fc.integer({ min: 0, max: 120_000 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        (offers) => {
          const e = new FusionEngine({ config: { sourceWeights: weights } });
          let lastLive = Number.NEGATIVE_INFINITY;
          let seen = Number.NEGATIVE_INFINITY;
          for (const o of offers) {
            const msg = onTrack(o.dt, { source: o.src });
            seen = Math.max(seen, msg.ts);
            const d = e.offer(msg, seen);
            if (d.kind === 'live') {
              expect(d.rowTs).toBeGreaterThan(lastLive);
              lastLive = d.rowTs;
            }
            if (d.movesLive) expect(d.rowTs).toBe(e.liveTs(msg.mmsi));
            if (o.wmLag % 7 === 0) e.prune(seen);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('source demotion', () => {
  /** Good receivers a and b report the true track every 10 s; `spoof` reports random places. */
  function spoofRun(e: FusionEngine, steps: number, spoofBehaves: (i: number) => boolean, startMs = 0) {
    const rnd = seededRandom(42);
    const spoofDecisions: FusionDecision[] = [];
    for (let i = 0; i < steps; i++) {
      const ms = startMs + i * 10_000;
      e.offer(onTrack(ms, { source: 'a' }), T0 + ms);
      e.offer(onTrack(ms + 3_000, { source: 'b' }), T0 + ms + 3_000);
      const spoofed = spoofBehaves(i)
        ? onTrack(ms + 6_000, { source: 'spoof' })
        : onTrack(ms + 6_000, { source: 'spoof', lat: 50 + rnd() * 4, lon: 2 + rnd() * 4 });
      spoofDecisions.push(e.offer(spoofed, T0 + ms + 6_000));
    }
    return spoofDecisions;
  }

  it('demotes a source that jumps around within 10 reports and keeps it off the live track', () => {
    const e = new FusionEngine({ config: { sourceWeights: weights } });
    const ds = spoofRun(e, 10, () => false);
    const q = e.sourceQuality();
    expect(q.spoof).toBeLessThan(0.5);
    expect(q.a).toBeGreaterThan(0.9);
    expect(q.b).toBeGreaterThan(0.9);
    // The first spoofed fix ties with the good track and slips through (documented); after
    // that, no spoofed fix ever becomes live.
    expect(ds.slice(1).filter((d) => d.movesLive)).toEqual([]);
    expect(ds.slice(-3).every((d) => d.kind === 'rejected_implausible')).toBe(true);
    const ev = e.evidenceBySource();
    expect(ev.spoof?.own_jump).toBeGreaterThan(5);
    expect(ev.a?.own_jump).toBe(0);
  });

  it('a demoted source loses duplicates to good sources, even with a higher configured weight', () => {
    const e = new FusionEngine({ config: { sourceWeights: { a: 0.6, spoof: 1.0 } } });
    spoofRun(e, 10, () => false);
    const ms = 200_000;
    const s = e.offer(onTrack(ms, { source: 'spoof' }), T0 + ms);
    const a = e.offer(onTrack(ms, { source: 'a', ts: T0 + ms + 300 }), T0 + ms + 300);
    expect(s.score).toBeLessThan(a.score);
    expect(a.kind).toBe('upgrade');
    expect(a.row?.source).toBe('a');
  });

  it('recovers once the source behaves', () => {
    const e = new FusionEngine({ config: { sourceWeights: weights } });
    spoofRun(e, 10, () => false);
    expect(e.sourceQuality().spoof).toBeLessThan(0.5);
    const ds = spoofRun(e, 30, () => true, 100_000);
    expect(e.sourceQuality().spoof).toBeGreaterThan(0.9);
    expect(ds.slice(-5).every((d) => d.kind === 'live')).toBe(true);
  });

  it('counts out-of-range positions against the source', () => {
    const e = new FusionEngine();
    for (let i = 0; i < 10; i++) e.offer(report({ source: 'broken', lat: 91 + i, ts: T0 + i * 1000 }), T0);
    expect(e.sourceQuality().broken).toBeLessThan(0.5);
    expect(e.evidenceTotals().out_of_range).toBe(10);
  });

  it('a single-source glitch is kept off live state and the next good fix resumes', () => {
    const e = new FusionEngine();
    expect(e.offer(onTrack(0), T0).kind).toBe('live');
    const glitch = e.offer(report({ ts: T0 + 10_000, lat: 10, lon: 10 }), T0 + 10_000);
    expect(glitch.movesLive).toBe(false);
    expect(glitch.kind).toBe('history');
    const next = e.offer(onTrack(20_000), T0 + 20_000);
    expect(next.kind).toBe('live');
  });

  it('a real relocation from a single source is accepted after one corroborating fix', () => {
    const e = new FusionEngine();
    e.offer(onTrack(0), T0);
    // e.g. the first fix was wrong: the source consistently reports elsewhere
    const r1 = e.offer(report({ ts: T0 + 10_000, lat: 53, lon: 5 }), T0 + 10_000);
    const r2 = e.offer(report({ ts: T0 + 20_000, lat: 53, lon: 5.0005 }), T0 + 20_000);
    expect(r1.movesLive).toBe(false);
    expect(r2.kind).toBe('live');
  });

  it('tiny time deltas do not imply absurd speeds', () => {
    const e = new FusionEngine();
    e.offer(onTrack(0, { source: 'a' }), T0);
    // same second, 60 m apart (GPS noise / rounding): fine
    const d = e.offer(report({ ts: T0, source: 'b', lat: 52.0005, lon: 4.0003 }), T0);
    expect(d.evidence).not.toContain('track_jump');
    expect(e.sourceQuality().b).toBe(1);
  });
});

describe('invalid input', () => {
  it('is refused with a typed reason, never thrown, and counted', () => {
    const e = new FusionEngine();
    const cases = [
      [report({ ts: Number.NaN }), 'bad_time'],
      [report({ ts: Number.POSITIVE_INFINITY }), 'bad_time'],
      [report({ ts: -5 }), 'bad_time'],
      [report({ lat: Number.NaN }), 'bad_position'],
      [report({ lon: 181 }), 'bad_position'],
      [report({ mmsi: 0 }), 'bad_mmsi'],
      [report({ mmsi: 1.5 }), 'bad_mmsi'],
    ] as const;
    for (const [msg, reason] of cases) {
      const d = e.offer(msg, T0);
      expect(d).toMatchObject({ kind: 'rejected_invalid', reason, row: null, movesLive: false });
      expect(Number.isNaN(d.rowTs)).toBe(true);
    }
    expect(e.stats().rejectedInvalid).toBe(cases.length);
    expect(e.stats().vessels).toBe(0);
  });

  it('NaN speed/course are written as null and skip dead reckoning', () => {
    const e = new FusionEngine();
    const d = e.offer(onTrack(0, { sog: Number.NaN, cog: Number.NaN }), T0);
    expect(d.kind).toBe('live');
    expect(d.row?.sog).toBeNull();
    expect(e.offer(onTrack(5_000, { source: 'b' }), T0 + 5_000).kind).toBe('live');
  });

  it('property: arbitrary numbers never throw', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(fc.array(fc.record({ mmsi: num, ts: num, lat: num, lon: num, sog: num, cog: num, wm: num }), { maxLength: 50 }), (rows) => {
        const e = new FusionEngine();
        for (const r of rows) {
          const d = e.offer(report({ mmsi: r.mmsi, ts: r.ts, lat: r.lat, lon: r.lon, sog: r.sog, cog: r.cog }), r.wm);
          expect(typeof d.kind).toBe('string');
          e.prune(r.wm);
        }
      }),
    );
  });

  it('rejects nonsense configuration with a clear message', () => {
    expect(() => resolveFusionConfig({ latenessMs: -1 })).toThrow(/latenessMs/);
    expect(() => resolveFusionConfig({ qualityAlpha: 0 })).toThrow(/qualityAlpha/);
    expect(() => resolveFusionConfig({ maxVessels: 0 })).toThrow(/maxVessels/);
    expect(() => resolveFusionConfig({ sourceWeights: { x: Number.NaN } })).toThrow(/"x"/);
  });
});

describe('memory bounds', () => {
  it('caps vessels per engine and counts evictions', () => {
    const e = new FusionEngine({ config: { maxVessels: 100 } });
    for (let i = 0; i < 1_000; i++) e.offer(onTrack(i, { mmsi: 200_000_000 + i }), T0 + i);
    expect(e.stats().vessels).toBe(100);
    expect(e.stats().vesselsEvictedCap).toBe(900);
    // the most recently offered vessels are the ones kept
    expect(e.liveTs(200_000_999)).toBe(T0 + 999);
    expect(e.liveTs(200_000_000)).toBeNull();
  });

  it('bounds the window per vessel', () => {
    const e = new FusionEngine({ config: { maxReportsPerVessel: 8, windowRetentionMs: 10 * 60_000, latenessMs: 10 * 60_000 } });
    for (let i = 0; i < 100; i++) e.offer(onTrack(i * 2_000), T0 + i * 2_000);
    expect(e.windowSize(244_660_000)).toBe(8);
    expect(e.stats().windowEvictions).toBe(92);
  });

  it('prune drops expired window entries and idle vessels by event time', () => {
    const e = new FusionEngine({ config: { vesselIdleMs: 600_000, windowRetentionMs: 120_000 } });
    e.offer(onTrack(0, { mmsi: 211_000_010 }), T0);
    for (let i = 0; i < 10; i++) e.offer(onTrack(i * 10_000, { mmsi: 211_000_011 }), T0 + i * 10_000);
    expect(e.prune(T0 + 200_000)).toBe(0);
    // retention 120 s before the watermark keeps the fixes at +80 s and +90 s
    expect(e.windowSize(211_000_011)).toBe(2);
    expect(e.liveTs(211_000_011)).toBe(T0 + 90_000);
    expect(e.prune(T0 + 650_000)).toBe(1);
    expect(e.stats()).toMatchObject({ vessels: 1, vesselsEvictedIdle: 1 });
    expect(e.prune(T0 + 700_000)).toBe(1);
    expect(e.stats().vessels).toBe(0);
  });

  it('bounds the number of tracked sources', () => {
    const e = new FusionEngine({ config: { maxSources: 5 } });
    for (let i = 0; i < 20; i++) e.offer(onTrack(i * 1000, { source: `station-${i}` }), T0 + i * 1000);
    expect(Object.keys(e.sourceQuality())).toHaveLength(5);
  });
});

describe('reports timed by their receipt (input without times)', () => {
  it('never demotes the source nor refuses reports whose times were compressed by a fast replay', () => {
    const e = new FusionEngine();
    const rnd = seededRandom(7);
    const ds: FusionDecision[] = [];
    // A time-less file replayed in a few milliseconds: positions minutes apart arrive 1 ms apart.
    for (let i = 0; i < 50; i++) {
      const at = alongTrack(i * 60_000);
      ds.push(e.offer(report({ ts: T0 + i, lat: at.lat + rnd() * 0.01, lon: at.lon, source: 'file', timeFromReceipt: true }), T0 + i));
    }
    expect(e.sourceQuality().file ?? 1).toBe(1);
    expect(ds.filter((d) => d.kind.startsWith('rejected'))).toEqual([]);
    expect(ds.every((d) => d.row !== null)).toBe(true);
  });

  it("does not collapse a moored vessel's receipt-timed reports as duplicates", () => {
    const e = new FusionEngine();
    const ds = [0, 1, 2].map((i) => e.offer(report({ ts: T0 + i, source: 'file', timeFromReceipt: true }), T0 + i));
    expect(ds.map((d) => d.kind)).toEqual(['live', 'live', 'live']);
  });

  it('still judges the same track when it carries real times', () => {
    const e = new FusionEngine();
    for (let i = 0; i < 50; i++) {
      const at = alongTrack(i * 60_000);
      e.offer(report({ ts: T0 + i, lat: at.lat + (i % 2) * 0.5, lon: at.lon, source: 'file' }), T0 + i);
    }
    expect(e.sourceQuality().file).toBeLessThan(0.5);
  });
});

describe('windows that reuse their expired entries', () => {
  it("keep every vessel's live report and its duplicates intact while entries are recycled", () => {
    // A short retention and a small window make groups leave windows (and get reused) all the time.
    const e = new FusionEngine({ config: { windowRetentionMs: 20_000, maxReportsPerVessel: 4, latenessMs: 60_000 } });
    const vessels = 40;
    const lastTs = new Map<number, number>();
    let wm = 0;
    for (let step = 0; step < 300; step++) {
      for (let v = 0; v < vessels; v++) {
        const mmsi = 244_000_000 + v;
        // Every vessel every 3 s, a tenth of them late by 30 s (history rows, also kept in windows).
        const late = (step + v) % 10 === 0 && step > 10;
        const ms = step * 3_000 - (late ? 30_000 : 0);
        const r = onTrack(ms, { mmsi, source: v % 2 === 0 ? 'a' : 'b', sog: v % 3 === 0 ? null : 10 });
        wm = Math.max(wm, r.ts);
        const d = e.offer(r, wm);
        if (d.kind === 'live') lastTs.set(mmsi, r.ts);
      }
      if (step % 7 === 0) e.prune(wm);
    }
    for (const [mmsi, ts] of lastTs) {
      expect(e.liveTs(mmsi)).toBe(ts);
      // The live report heard again by another receiver is still recognised as the same one.
      const again = e.offer(onTrack(ts - T0, { mmsi, source: 'c', ts: ts + 200 }), wm);
      expect(['duplicate', 'upgrade']).toContain(again.kind);
      expect(again.rowTs).toBe(ts);
    }
  });
});

describe('window slots', () => {
  it('every slot a vessel held is free again once the engine forgets it: idle, at the cap, window-evicted, dropped while live, source fixes', () => {
    const rnd = seededRandom(11);
    // Small windows, a short retention, a vessel cap and late reports: every way a group leaves.
    const e = new FusionEngine({
      config: { windowRetentionMs: 15_000, maxReportsPerVessel: 3, latenessMs: 40_000, maxVessels: 25, vesselIdleMs: 60_000, maxSourcesPerVessel: 2 },
    });
    let wm = T0;
    for (let step = 0; step < 4_000; step++) {
      const mmsi = 244_000_000 + Math.floor(rnd() * 40);
      const late = rnd() < 0.15;
      const ms = step * 250 - (late ? Math.floor(rnd() * 50_000) : 0);
      const r = onTrack(ms, { mmsi, source: ['a', 'b', 'c'][Math.floor(rnd() * 3)] as string, ts: T0 + ms + Math.floor(rnd() * 300) });
      wm = Math.max(wm, r.ts);
      e.offer(r, wm);
      if (step % 50 === 0) e.prune(wm);
      // Held: every window's groups, plus per vessel at most one live group outside its window
      // and one latest fix per source (three sources, two kept per vessel).
      let inWindows = 0;
      for (let m = 244_000_000; m < 244_000_040; m++) inWindows += e.windowSize(m);
      expect(e.slotsHeld()).toBeGreaterThanOrEqual(inWindows + e.stats().vessels);
      expect(e.slotsHeld()).toBeLessThanOrEqual(inWindows + e.stats().vessels * (1 + 2));
    }
    expect(e.stats().vesselsEvictedCap).toBeGreaterThan(0);
    expect(e.stats().windowEvictions).toBeGreaterThan(0);
    // Everyone idle: all vessels go, and with them every slot.
    e.prune(wm + 10 * 60_000);
    expect(e.stats().vessels).toBe(0);
    expect(e.slotsHeld()).toBe(0);
  });

  it('a live group dropped from its window by retention is still the live state, and is freed when live moves on', () => {
    const e = new FusionEngine({ config: { windowRetentionMs: 10_000, latenessMs: 60_000 } });
    e.offer(onTrack(0), T0);
    // Older reports arrive late and stay history; the watermark moves past the retention.
    e.prune(T0 + 30_000);
    expect(e.windowSize(244_660_000)).toBe(0);
    expect(e.liveTs(244_660_000)).toBe(T0);
    // The live group, outside the window now, and the source's latest fix.
    expect(e.slotsHeld()).toBe(2);
    const next = e.offer(onTrack(31_000), T0 + 31_000);
    expect(next.kind).toBe('live');
    expect(e.liveTs(244_660_000)).toBe(T0 + 31_000);
    // The old live group is free again: the new one (in the window) and the updated fix.
    expect(e.slotsHeld()).toBe(2);
  });
});
