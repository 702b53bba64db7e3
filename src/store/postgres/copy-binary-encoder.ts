import type { KeyedPosition } from './position-batch.js';

/**
 * Encodes rows for `COPY aisctl_position_stage ... FROM STDIN (FORMAT binary)`: the column
 * types of create-stage.sql (int8, int8, float8, float8, float4, float4, int2, int2, text,
 * float4) in PostgreSQL's binary tuple format, values only, no SQL.
 *
 * Why binary rather than text: every number in the text format is formatted by V8 (shortest
 * round-trip digits) and parsed again by the server (strtod), ~1.6 µs of client CPU per row
 * (25 % of the history writer's, measured with --cpu-prof on bench/ingest.bench.ts) plus the
 * server's parsing; here each value is one DataView store into one buffer per batch.
 *
 * Values: float8 columns get the exact double (as the text format's shortest round-trip digits
 * do); float4 columns get Math.fround of the double, which the text path's decimal -> float4
 * conversion matches except, in principle, for doubles lying within half an ulp of a float4
 * midpoint. Returns null when a smallint value (heading, nav status) is outside -32768..32767:
 * the caller then uses the text format, whose COPY fails on it exactly as before.
 */
export function encodePositionsForBinaryCopy(rows: readonly KeyedPosition[]): Buffer | null {
  let size = HEADER.length + 2;
  for (let i = 0; i < rows.length; i++) {
    const r = (rows[i] as KeyedPosition).row;
    if (!fitsInt2(r.heading) || !fitsInt2(r.navStatus)) return null;
    size += FIXED_ROW_BYTES + sourceBytes(r.source).length;
  }
  const buf = Buffer.allocUnsafe(size);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf.set(HEADER, 0);
  let o = HEADER.length;
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i] as KeyedPosition;
    const r = k.row;
    view.setInt16(o, 10);
    o += 2;
    o = int8(view, o, k.vesselId);
    o = int8(view, o, Math.trunc(r.ts));
    o = float8(view, o, r.lat);
    o = float8(view, o, r.lon);
    o = float4(view, o, r.sog);
    o = float4(view, o, r.cog);
    o = int2(view, o, r.heading);
    o = int2(view, o, r.navStatus);
    const src = sourceBytes(r.source);
    view.setInt32(o, src.length);
    o += 4;
    buf.set(src, o);
    o += src.length;
    o = float4(view, o, r.score);
  }
  view.setInt16(o, -1);
  return buf.subarray(0, o + 2);
}

/** Signature, flags (no OIDs) and an empty header extension. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** Field count, ten lengths and every value but the source, at full width: NULLs take less, so the buffer is cut to what was written. */
const FIXED_ROW_BYTES = 2 + 10 * 4 + 8 + 8 + 8 + 8 + 4 + 4 + 2 + 2 + 4;
const TWO_32 = 2 ** 32;

function fitsInt2(v: number | null): boolean {
  if (v === null || !Number.isFinite(v)) return true;
  const n = Math.round(v);
  return n >= -32_768 && n <= 32_767;
}

/** Sources are a handful of station names: their UTF-8 bytes are encoded once, not per row. */
const sourceCache = new Map<string, Buffer>();
const SOURCE_CACHE_MAX = 4_096;

function sourceBytes(s: string): Buffer {
  let b = sourceCache.get(s);
  if (b === undefined) {
    if (sourceCache.size >= SOURCE_CACHE_MAX) sourceCache.clear();
    b = Buffer.from(s, 'utf8');
    sourceCache.set(s, b);
  }
  return b;
}

/** A whole number of up to 2^53 in magnitude as a big-endian int8 (two's complement). */
function int8(view: DataView, o: number, n: number): number {
  view.setInt32(o, 8);
  const hi = Math.floor(n / TWO_32);
  view.setInt32(o + 4, hi);
  view.setUint32(o + 8, n - hi * TWO_32);
  return o + 12;
}

function float8(view: DataView, o: number, n: number | null): number {
  if (n === null || !Number.isFinite(n)) {
    view.setInt32(o, -1);
    return o + 4;
  }
  view.setInt32(o, 8);
  view.setFloat64(o + 4, n);
  return o + 12;
}

function float4(view: DataView, o: number, n: number | null): number {
  if (n === null || !Number.isFinite(n)) {
    view.setInt32(o, -1);
    return o + 4;
  }
  view.setInt32(o, 4);
  view.setFloat32(o + 4, n);
  return o + 8;
}

/** smallint columns: rounded, as the text encoder does. */
function int2(view: DataView, o: number, n: number | null): number {
  if (n === null || !Number.isFinite(n)) {
    view.setInt32(o, -1);
    return o + 4;
  }
  view.setInt32(o, 2);
  view.setInt16(o + 4, Math.round(n));
  return o + 6;
}
