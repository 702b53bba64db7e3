import type { PositionRow } from './store-types.js';

/**
 * The newest row per vessel (the highest score on a tie, as the hot-state script decides), in
 * the order each vessel first appears; with `live`, only the rows it marks true. The pipeline
 * sends hot state only the rows fusion says move a vessel's live state, newest per vessel:
 * everything else would reach Redis only to be refused as stale (under load most vessels report
 * more than once per batch, and late or older reports never move live state). The hot-state
 * writer reduces whatever it is given the same way.
 */
export function newestPerVessel(positions: readonly PositionRow[], live?: readonly boolean[]): PositionRow[] {
  const at = new Map<number, number>();
  const out: PositionRow[] = [];
  for (let i = 0; i < positions.length; i++) {
    if (live !== undefined && live[i] !== true) continue;
    const p = positions[i] as PositionRow;
    const j = at.get(p.mmsi);
    if (j === undefined) {
      at.set(p.mmsi, out.length);
      out.push(p);
      continue;
    }
    const cur = out[j] as PositionRow;
    if (p.ts > cur.ts || (p.ts === cur.ts && p.score > cur.score)) out[j] = p;
  }
  return out;
}
