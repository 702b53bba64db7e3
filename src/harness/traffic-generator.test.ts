import { describe, expect, it } from 'vitest';
import { createNormalizedGenerator, createTrafficGenerator, type GeneratedMessage, type TrafficGeneratorOptions } from './traffic-generator.js';
import { NmeaDecoder, type SentenceMeta } from '../ais/nmea-decoder.js';
import type { AisMessage } from '../ais/types.js';
import type { RejectionReason } from '../normalize/message.js';
import { isShipMid } from '../normalize/mid-table.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
const SOURCES = ['rNL-HOEK', 'rBE-ZEEB', 'sat-EXACT'];

function opts(over: Partial<TrafficGeneratorOptions> = {}): TrafficGeneratorOptions {
  return { vessels: 50, sources: SOURCES, seed: 7, startTimeMs: T0, dupRate: 0.1, lateRate: 0.05, badRate: 0.05, ...over };
}

/** Runs `n` messages at `ratePerSec`, decoding each message's lines on their own. */
function runAndDecode(gen: ReturnType<typeof createTrafficGenerator>, n: number, ratePerSec: number) {
  const out: Array<{ g: GeneratedMessage; msgs: Array<{ msg: AisMessage; meta: SentenceMeta }>; rejects: RejectionReason[] }> = [];
  const d = new NmeaDecoder(
    {
      message: (msg, meta) => out.at(-1)?.msgs.push({ msg, meta }),
      reject: (r) => out.at(-1)?.rejects.push(r),
    },
    { mergeType24: false },
  );
  let lineNo = 0;
  for (let i = 0; i < n; i++) {
    const g = gen.next(T0 + Math.floor((i * 1000) / ratePerSec));
    out.push({ g, msgs: [], rejects: [] });
    for (const l of g.lines) d.push(l, ++lineNo);
  }
  d.flush();
  return out;
}

describe('createTrafficGenerator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const lines = (seed: number): string[] => {
      const g = createTrafficGenerator(opts({ seed }));
      return Array.from({ length: 500 }, (_, i) => g.next(T0 + i * 100).line);
    };
    expect(lines(7)).toEqual(lines(7));
    expect(lines(8)).not.toEqual(lines(7));
  });

  it('every good, duplicate and late message decodes to exactly the message it encoded', () => {
    const runs = runAndDecode(createTrafficGenerator(opts({ vessels: 200 })), 5000, 50);
    for (const { g, msgs, rejects } of runs) {
      if (g.kind === 'corrupt') continue;
      expect(rejects).toEqual([]);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]?.msg).toEqual(g.message);
      expect(msgs[0]?.meta.station).toBe(g.source);
      expect(msgs[0]?.meta.receivedAt).toBe(g.ts);
      expect(g.mmsi).toBe(g.message.mmsi);
    }
  });

  it('every corrupt line is rejected with its expected reason', () => {
    const runs = runAndDecode(createTrafficGenerator(opts({ badRate: 0.5, dupRate: 0, lateRate: 0 })), 2000, 100);
    const corrupt = runs.filter((r) => r.g.kind === 'corrupt');
    expect(corrupt.length).toBeGreaterThan(800);
    const reasons = new Set<string>();
    for (const { g, msgs, rejects } of corrupt) {
      expect(msgs).toEqual([]);
      expect(rejects).toEqual([g.expectedReason]);
      reasons.add(g.expectedReason as string);
    }
    expect([...reasons].sort()).toEqual(['bad_checksum', 'bad_fill_bits', 'bad_payload_char', 'malformed_sentence', 'payload_too_short']);
  });

  it('mixes kinds at the requested rates', () => {
    const g = createTrafficGenerator(opts({ vessels: 500, dupRate: 0.2, lateRate: 0.1, badRate: 0.05 }));
    const n = 20_000;
    for (let i = 0; i < n; i++) g.next(T0 + i * 10);
    expect(g.counts.good + g.counts.duplicate + g.counts.late + g.counts.corrupt).toBe(n);
    // The second part of a class B static pair does not draw a kind, so shares sit a little low.
    expect(g.counts.duplicate / n).toBeGreaterThan(0.17);
    expect(g.counts.duplicate / n).toBeLessThan(0.22);
    expect(g.counts.late / n).toBeGreaterThan(0.085);
    expect(g.counts.late / n).toBeLessThan(0.11);
    expect(g.counts.corrupt / n).toBeGreaterThan(0.04);
    expect(g.counts.corrupt / n).toBeLessThan(0.06);
  });

  it('duplicates repeat a recent report from another station; late ones lag minutes behind', () => {
    const g = createTrafficGenerator(opts({ vessels: 100, dupRate: 0.3, lateRate: 0.1 }));
    let last: GeneratedMessage | null = null;
    let dupSeen = 0;
    let lateSeen = 0;
    for (let i = 0; i < 3000; i++) {
      const now = T0 + i * 200;
      const m = g.next(now);
      if (m.kind === 'duplicate' && last !== null) {
        dupSeen++;
        expect(m.mmsi).toBe(last.mmsi);
        expect(m.source).not.toBe(last.source);
        expect(Math.abs(m.ts - last.ts)).toBeLessThanOrEqual(2000);
      }
      if (m.kind === 'late') {
        lateSeen++;
        expect(now - m.ts).toBeGreaterThanOrEqual(58_000);
        expect(now - m.ts).toBeLessThanOrEqual(10 * 60_000);
      }
      if (m.kind === 'good') last = m;
    }
    expect(dupSeen).toBeGreaterThan(500);
    expect(lateSeen).toBeGreaterThan(150);
  });

  it('follows ITU intervals at the natural rate and sends statics every 6 minutes', () => {
    const g = createTrafficGenerator(opts({ vessels: 100, dupRate: 0, lateRate: 0, badRate: 0, classBShare: 0.3 }));
    const seen = new Map<number, number[]>();
    const statics = new Map<number, number[]>();
    // 100 vessels at 10 s or slower: 10 messages/s keeps up with the schedule; run 20 minutes.
    for (let i = 0; i < 12_000; i++) {
      const m = g.next(T0 + i * 100);
      const map = m.msgType === 5 || m.msgType === 24 ? statics : seen;
      const list = map.get(m.mmsi) ?? [];
      list.push(m.ts);
      map.set(m.mmsi, list);
    }
    expect(seen.size).toBe(100);
    for (const v of g.fleet) {
      const ts = seen.get(v.mmsi) ?? [];
      const gaps = ts.slice(1).map((t, i) => t - (ts[i] as number));
      const longest = Math.max(...gaps);
      // Receive times have second resolution and up to 1.5 s of receiver delay.
      expect(longest).toBeLessThanOrEqual(180_000 + 3_000);
      if (v.classB) expect(Math.min(...gaps)).toBeGreaterThanOrEqual(28_000);
      // Static data rides on the first position report after it is due: 6 min plus at most one interval.
      const st = [...new Set(statics.get(v.mmsi) ?? [])];
      expect(st.length).toBeGreaterThanOrEqual(2);
      const sgaps = st.slice(1).map((t, i) => t - (st[i] as number));
      expect(Math.max(...sgaps)).toBeLessThanOrEqual(360_000 + 180_000 + 3_000);
    }
  });

  it('with honourIntervals, a rate far above the natural one advances event time instead of reporting early', () => {
    const g = createTrafficGenerator(opts({ vessels: 100, dupRate: 0, lateRate: 0, badRate: 0, honourIntervals: true, tagTimeMs: true }));
    const last = new Map<number, number>();
    let minGap = Infinity;
    // 1,000 messages/s for 10 s from 100 vessels: about 100x what they transmit.
    for (let i = 0; i < 10_000; i++) {
      const m = g.next(T0 + i);
      if (m.msgType === 5 || m.msgType === 24) continue;
      const prev = last.get(m.mmsi);
      if (prev !== undefined) minGap = Math.min(minGap, m.ts - prev);
      last.set(m.mmsi, m.ts);
    }
    // Class A at speed reports every 2 s at the fastest; receiver delay jitters by up to 1.5 s.
    expect(minGap).toBeGreaterThanOrEqual(2_000 - 1_500);
    expect(g.eventTimeMs).toBeGreaterThan(T0 + 10_000 * 10);
  });

  it("without honourIntervals, the same rate makes vessels report at the caller's pace", () => {
    const g = createTrafficGenerator(opts({ vessels: 100, dupRate: 0, lateRate: 0, badRate: 0, tagTimeMs: true }));
    for (let i = 0; i < 10_000; i++) g.next(T0 + i);
    expect(g.eventTimeMs).toBeLessThan(T0 + 10_000 + 1_000);
  });

  it('makes valid ship MMSIs and all the position and static types', () => {
    const g = createTrafficGenerator(opts({ vessels: 300 }));
    const types = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const m = g.next(T0 + i * 50);
      types.add(m.msgType);
      expect(isShipMid(Math.floor(m.mmsi / 1_000_000))).toBe(true);
      if (m.kind !== 'corrupt') {
        for (const l of m.lines) expect(l).toMatch(/^\\s:[^,]+,c:\d{10}\*[0-9A-F]{2}\\!AIVDM,[12],[12],\d?,[AB],[0-W`-w]+,[0-5]\*[0-9A-F]{2}$/);
      }
    }
    expect([...types].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 18, 19, 24]);
  });

  it('can write c: in milliseconds', () => {
    const g = createTrafficGenerator(opts({ tagTimeMs: true, badRate: 0 }));
    const m = g.next(T0 + 1234);
    expect(m.line).toMatch(/^\\s:[^,]+,c:\d{13}\*/);
    expect(m.ts % 1000).not.toBe(0);
  });

  it('rejects impossible options with a clear error', () => {
    expect(() => createTrafficGenerator(opts({ vessels: 0 }))).toThrow(/vessels/);
    expect(() => createTrafficGenerator(opts({ sources: [] }))).toThrow(/sources/);
    expect(() => createTrafficGenerator(opts({ dupRate: 0.6, lateRate: 0.6 }))).toThrow(/exceed 1/);
  });
});

describe('createNormalizedGenerator', () => {
  it('yields the same fleet as normalized records, with invalid values for corrupt ones', () => {
    const g = createNormalizedGenerator(opts({ vessels: 100, badRate: 0.1 }));
    const nmea = createTrafficGenerator(opts({ vessels: 100, badRate: 0.1 }));
    expect(g.fleet.map((v) => v.mmsi)).toEqual(nmea.fleet.map((v) => v.mmsi));
    const kinds = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const r = g.next(T0 + i * 100);
      kinds.add(r.message.kind);
      if (r.kind === 'corrupt') {
        expect(r.expectedReason).not.toBeNull();
      } else {
        expect(r.expectedReason).toBeNull();
        if (r.message.kind === 'position') {
          expect(Math.abs(r.message.lat)).toBeLessThanOrEqual(90);
          // Quantized as AIS transmits it: 1/10000 minute.
          expect(Math.round(r.message.lat * 600_000) / 600_000).toBe(r.message.lat);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['position', 'static']);
  });
});
