import type { KeyedPosition } from './position-batch.js';
import { cogToUnits, coordToUnits, headingStatusToUnits, sogToUnits } from './position-units.js';

/**
 * Encodes rows for `COPY aisctl_stage_positions FROM STDIN` (text format): one string per batch,
 * values only, no SQL, in the stored units of position-units.ts. The fallback of the binary
 * encoder for values outside their column's range: the server then names the column.
 * Time stays integer milliseconds; the upsert converts it exactly.
 */
export function encodePositionsForCopy(rows: readonly KeyedPosition[]): string {
  const parts: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i] as KeyedPosition;
    const r = k.row;
    parts[i] =
      `${k.vesselId}\t${Math.trunc(r.ts)}\t${coordToUnits(r.lat)}\t${coordToUnits(r.lon)}\t${r.score}\t` +
      `${sogToUnits(r.sog)}\t${cogToUnits(r.cog)}\t${headingStatusToUnits(r.heading, r.navStatus)}\t${k.sourceId}\n`;
  }
  return parts.join('');
}
