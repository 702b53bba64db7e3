import type { PositionRow } from '../store/store-types.js';

/**
 * The rows of a batch that hot state needs: those fusion says move a vessel's live state, and of
 * those only the newest per vessel (the highest score on a tie, as the hot-state script decides).
 * Everything else would reach Redis only to be refused as stale: under load most vessels report
 * more than once per batch, and late or older reports never move live state.
 */
export function newestLiveRows(positions: readonly PositionRow[], movesLive: readonly boolean[]): PositionRow[] {
  const at = new Map<number, number>();
  const out: PositionRow[] = [];
  for (let i = 0; i < positions.length; i++) {
    if (movesLive[i] !== true) continue;
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
