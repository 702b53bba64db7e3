import type { KeyedPosition } from './position-batch.js';
import { cogToUnits, coordToUnits, headingStatusToUnits, sogToUnits } from './position-units.js';

/**
 * Encodes rows for `COPY aisctl_stage_positions ... FROM STDIN (FORMAT binary)`: the column
 * types of create-stage.sql (int4 vessel id, int8 ms, int4 lat/lon in 1/10,000 minute, float4
 * score, int2 sog, cog, heading + status, source id: the stored units of position-units.ts) in
 * PostgreSQL's binary tuple format, values only, no SQL.
 *
 * Why binary rather than text: every number in the text format is formatted by V8 and parsed
 * again by the server, ~1.6 µs of client CPU per row (25 % of the history writer's, measured
 * with --cpu-prof on bench/ingest.bench.ts) plus the server's parsing; here each value is one
 * DataView store into one buffer per batch. Every column is NOT NULL, so every row is the same
 * size.
 *
 * The score gets Math.fround of the double, which the text path's decimal -> float4 conversion
 * matches except, in principle, for doubles lying within half an ulp of a float4 midpoint.
 * Returns null when a value is outside its column's range (a vessel id past int4, a speed past
 * int2): the caller then uses the text format, whose COPY fails on it with the server's message.
 */
export function encodePositionsForBinaryCopy(rows: readonly KeyedPosition[]): Buffer | null {
  const buf = Buffer.allocUnsafe(HEADER.length + rows.length * ROW_BYTES + 2);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf.set(HEADER, 0);
  let o = HEADER.length;
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i] as KeyedPosition;
    const r = k.row;
    const lat = coordToUnits(r.lat);
    const lon = coordToUnits(r.lon);
    const sog = sogToUnits(r.sog);
    const cog = cogToUnits(r.cog);
    const hs = headingStatusToUnits(r.heading, r.navStatus);
    if (!fitsInt4(k.vesselId) || !fitsInt4(lat) || !fitsInt4(lon) || !fitsInt2(sog) || !fitsInt2(cog) || !fitsInt2(k.sourceId)) return null;
    view.setInt16(o, FIELDS);
    o += 2;
    o = int4(view, o, k.vesselId);
    o = int8(view, o, Math.trunc(r.ts));
    o = int4(view, o, lat);
    o = int4(view, o, lon);
    view.setInt32(o, 4);
    view.setFloat32(o + 4, r.score);
    o += 8;
    o = int2(view, o, sog);
    o = int2(view, o, cog);
    o = int2(view, o, hs);
    o = int2(view, o, k.sourceId);
  }
  view.setInt16(o, -1);
  return buf.subarray(0, o + 2);
}

/** Signature, flags (no OIDs) and an empty header extension. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
const FIELDS = 9;
/** Field count, then each field's length word and value. */
const ROW_BYTES = 2 + FIELDS * 4 + 4 + 8 + 4 + 4 + 4 + 2 + 2 + 2 + 2;
const TWO_32 = 2 ** 32;

const fitsInt2 = (n: number): boolean => Number.isInteger(n) && n >= -32_768 && n <= 32_767;
const fitsInt4 = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;

/** A whole number of up to 2^53 in magnitude as a big-endian int8 (two's complement). */
function int8(view: DataView, o: number, n: number): number {
  view.setInt32(o, 8);
  const hi = Math.floor(n / TWO_32);
  view.setInt32(o + 4, hi);
  view.setUint32(o + 8, n - hi * TWO_32);
  return o + 12;
}

function int4(view: DataView, o: number, n: number): number {
  view.setInt32(o, 4);
  view.setInt32(o + 4, n);
  return o + 8;
}

function int2(view: DataView, o: number, n: number): number {
  view.setInt32(o, 2);
  view.setInt16(o + 4, n);
  return o + 6;
}
