import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PositionRow } from '../store-types.js';
import { keyPositions, keyPositionsByComparator, mergeStatics, sortAndDedupePositions, vesselSpans, type KeyedPosition } from './position-batch.js';
import { bareStaticRow } from '../../testing/test-rows.js';

const pos = (mmsi: number, ts: number, score = 0.5, source = 's'): PositionRow => ({
  mmsi,
  ts,
  lat: 1,
  lon: 2,
  sog: null,
  cog: null,
  heading: null,
  navStatus: null,
  source,
  score,
});
const stat = bareStaticRow;

describe('sortAndDedupePositions', () => {
  it('sorts by (vessel, ts) and keeps the highest score per key', () => {
    const rows: KeyedPosition[] = [
      { vesselId: 2, sourceId: 1, row: pos(2, 10, 0.3, 'a') },
      { vesselId: 1, sourceId: 1, row: pos(1, 20) },
      { vesselId: 2, sourceId: 1, row: pos(2, 10, 0.9, 'b') },
      { vesselId: 1, sourceId: 1, row: pos(1, 5) },
      { vesselId: 2, sourceId: 1, row: pos(2, 10, 0.1, 'c') },
    ];
    const out = sortAndDedupePositions(rows);
    expect(out.map((k) => [k.vesselId, k.row.ts, k.row.source])).toEqual([
      [1, 5, 's'],
      [1, 20, 's'],
      [2, 10, 'b'],
    ]);
  });

  it('output is strictly increasing by key, and keeps one row per distinct key (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ v: fc.integer({ min: 1, max: 5 }), t: fc.integer({ min: 0, max: 10 }), s: fc.float({ noNaN: true }) })), (items) => {
        const out = sortAndDedupePositions(items.map((i) => ({ vesselId: i.v, sourceId: 1, row: pos(i.v, i.t, i.s) })));
        for (let i = 1; i < out.length; i++) {
          const a = out[i - 1] as KeyedPosition;
          const b = out[i] as KeyedPosition;
          expect(a.vesselId < b.vesselId || (a.vesselId === b.vesselId && a.row.ts < b.row.ts)).toBe(true);
        }
        expect(out.length).toBe(new Set(items.map((i) => `${i.v}:${i.t}`)).size);
        for (const k of out) {
          const best = Math.max(...items.filter((i) => i.v === k.vesselId && i.t === k.row.ts).map((i) => i.s));
          expect(k.row.score).toBe(best);
        }
      }),
    );
  });
});

describe('keyPositions', () => {
  const keyOf = (k: KeyedPosition): unknown[] => [k.vesselId, k.sourceId, k.row];

  it('returns what the comparator sort returns, row for row (property)', () => {
    const vesselIds = [0, 1, 7, 1_000_000, 2 ** 32 - 1];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            m: fc.integer({ min: 0, max: vesselIds.length - 1 }),
            t: fc.integer({ min: 0, max: 6 }),
            s: fc.constantFrom(0, 0.5, 0.5, 1, 2),
            src: fc.constantFrom('a', 'b', 'c'),
          }),
          { maxLength: 200 },
        ),
        (items) => {
          const rows = items.map((i) => pos(100 + i.m, i.t, i.s, i.src));
          const ids = new Map(vesselIds.map((id, m) => [100 + m, id]));
          const sources = new Map([
            ['a', 1],
            ['b', 2],
            ['c', 3],
          ]);
          const fast = keyPositions(rows, ids, sources);
          const reference = keyPositionsByComparator(rows, ids, sources);
          expect(fast.map(keyOf)).toEqual(reference.map(keyOf));
          // The very row objects, in the same order: which of equal rows is kept matters to the writer.
          fast.forEach((k, i) => expect(k.row).toBe(reference[i]?.row));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts vessel ids the packed key cannot hold by the comparator, with the same result', () => {
    const rows = [pos(1, 5), pos(2, 3), pos(1, 2), pos(2, 3, 0.9)];
    const ids = new Map([
      [1, 2 ** 40],
      [2, 3],
    ]);
    const sources = new Map([['s', 1]]);
    const out = keyPositions(rows, ids, sources);
    expect(out.map((k) => [k.vesselId, k.row.ts, k.row.score])).toEqual([
      [3, 3, 0.9],
      [2 ** 40, 2, 0.5],
      [2 ** 40, 5, 0.5],
    ]);
    expect(out).toEqual(keyPositionsByComparator(rows, ids, sources));
  });

  it('keeps a late row of a vessel in time order among its others', () => {
    const rows = [pos(1, 30), pos(2, 1), pos(1, 10), pos(1, 20), pos(1, 10, 0.9), pos(1, 5)];
    const ids = new Map([
      [1, 11],
      [2, 10],
    ]);
    const out = keyPositions(rows, ids, new Map([['s', 1]]));
    expect(out.map((k) => [k.vesselId, k.row.ts, k.row.score])).toEqual([
      [10, 1, 0.5],
      [11, 5, 0.5],
      [11, 10, 0.9],
      [11, 20, 0.5],
      [11, 30, 0.5],
    ]);
  });
});

describe('vesselSpans', () => {
  it('gives min/max time per vessel over positions and statics, sorted by mmsi', () => {
    expect(vesselSpans([pos(9, 50), pos(3, 7), pos(9, 10)], [stat(3, 100, {})])).toEqual([
      { mmsi: 3, firstMs: 7, lastMs: 100 },
      { mmsi: 9, firstMs: 10, lastMs: 50 },
    ]);
  });
});

describe('mergeStatics', () => {
  it('folds newer non-null fields over older ones, whatever the arrival order', () => {
    const m = mergeStatics([stat(1, 30, { callsign: 'NEW', shipType: 70 }), stat(1, 10, { name: 'OLD NAME', callsign: 'OLD' }), stat(1, 20, { name: 'NAME' })]);
    expect(m.get(1)).toMatchObject({ ts: 30, name: 'NAME', callsign: 'NEW', shipType: 70 });
  });
});
