import type { PositionRow, VesselStaticRow } from '../store-types.js';

/** A position row whose vessel id and source id (sources table) are resolved. */
export interface KeyedPosition {
  readonly vesselId: number;
  readonly sourceId: number;
  readonly row: PositionRow;
}

/**
 * The batch's rows keyed by their vessel ids and source ids (every mmsi must be in `ids`, every
 * source in `sourceIds`), sorted and de-duplicated.
 */
export function keyPositions(rows: readonly PositionRow[], ids: ReadonlyMap<number, number>, sourceIds: ReadonlyMap<string, number>): KeyedPosition[] {
  return sortAndDedupePositions(rows.map((row) => ({ vesselId: ids.get(row.mmsi) as number, sourceId: sourceIds.get(row.source) as number, row })));
}

/**
 * Sorts by (vessel id, ts) and keeps one row per key, the highest score (the first on a tie).
 * The sort gives every concurrent writer the same lock order (the deadlock fix); the dedup is
 * required because ON CONFLICT cannot touch the same row twice in one statement.
 */
export function sortAndDedupePositions(rows: readonly KeyedPosition[]): KeyedPosition[] {
  const sorted = [...rows].sort((a, b) => a.vesselId - b.vesselId || a.row.ts - b.row.ts || b.row.score - a.row.score);
  const out: KeyedPosition[] = [];
  let last: KeyedPosition | undefined;
  for (const r of sorted) {
    if (last && last.vesselId === r.vesselId && last.row.ts === r.row.ts) continue;
    out.push(r);
    last = r;
  }
  return out;
}

export interface VesselSpan {
  readonly mmsi: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

/** First and last report time per vessel in a batch, sorted by mmsi. */
export function vesselSpans(positions: readonly PositionRow[], statics: readonly VesselStaticRow[]): VesselSpan[] {
  // The span objects are the result (no second object per vessel from a spread), built once
  // per distinct vessel of a batch of thousands of rows.
  const spans = new Map<number, { mmsi: number; firstMs: number; lastMs: number }>();
  const add = (mmsi: number, ts: number): void => {
    const s = spans.get(mmsi);
    if (!s) spans.set(mmsi, { mmsi, firstMs: ts, lastMs: ts });
    else {
      if (ts < s.firstMs) s.firstMs = ts;
      if (ts > s.lastMs) s.lastMs = ts;
    }
  };
  for (const p of positions) add(p.mmsi, p.ts);
  for (const s of statics) add(s.mmsi, s.ts);
  return Array.from(spans.values()).sort((a, b) => a.mmsi - b.mmsi);
}

const STATIC_FIELDS = [
  'name',
  'callsign',
  'imo',
  'shipType',
  'toBow',
  'toStern',
  'toPort',
  'toStarboard',
  'draught',
  'destination',
] as const satisfies readonly (keyof VesselStaticRow)[];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One static row per vessel: reports applied oldest first, each non-null field of a newer
 * report replacing the older value (type 24 parts A and B each carry only some fields).
 */
export function mergeStatics(statics: readonly VesselStaticRow[]): Map<number, VesselStaticRow> {
  const merged = new Map<number, Mutable<VesselStaticRow>>();
  for (const s of [...statics].sort((a, b) => a.ts - b.ts)) {
    const cur = merged.get(s.mmsi);
    if (!cur) {
      merged.set(s.mmsi, { ...s });
      continue;
    }
    cur.ts = s.ts;
    for (const f of STATIC_FIELDS) {
      const v = s[f];
      if (v !== null) (cur as Record<string, unknown>)[f] = v;
    }
  }
  return merged;
}
