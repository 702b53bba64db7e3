import type { KeyedPosition } from './position-batch.js';

/** COPY text format: backslash, tab and line breaks must be escaped inside a field. */
function escapeText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

function num(n: number | null): string {
  return n === null || !Number.isFinite(n) ? '\\N' : String(n);
}

/** smallint columns: rounded, because a fractional value would fail the whole COPY. */
function int(n: number | null): string {
  return n === null || !Number.isFinite(n) ? '\\N' : String(Math.round(n));
}

/**
 * Encodes rows for `COPY aisctl_position_stage FROM STDIN` (text format): one string per batch,
 * values only, no SQL. Time stays integer milliseconds; the upsert converts it exactly.
 */
export function encodePositionsForCopy(rows: readonly KeyedPosition[]): string {
  const parts: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i] as KeyedPosition;
    const r = k.row;
    parts[i] =
      `${k.vesselId}\t${Math.trunc(r.ts)}\t${num(r.lat)}\t${num(r.lon)}\t${num(r.sog)}\t${num(r.cog)}\t` +
      `${int(r.heading)}\t${int(r.navStatus)}\t${escapeText(r.source)}\t${num(r.score)}\n`;
  }
  return parts.join('');
}
