/**
 * The binary values of layout 2 (key-layout.ts): one packed position and up to two packed static
 * fields per vessel, each at most 64 bytes so a shard hash stays a listpack (Redis'
 * hash-max-listpack-value). Numbers are kept in the integer units AIS itself uses, so every value
 * AIS can carry survives exactly: 1/10,000 minute (1/600,000 degree), 0.1 knot, 0.1 degree,
 * 0.1 m. write-position.lua reads the first 24 bytes (ts, score, lat, lon); write-static.lua
 * writes the static fields, with the same layout as decodeStatic reads.
 */
import type { PositionFields, VesselStaticFields } from '../../normalize/message.js';
import type { PositionRow } from '../store-types.js';

/** Degrees to 1/10,000 minute. */
const COORD_UNITS = 600_000;
const U16_NA = 0xffff;
const U8_NA = 0xff;
/** Fixed part of a packed position; the source follows. */
const POSITION_FIXED = 31;
/** Fixed part of a packed static field; the callsign follows (see write-static.lua). */
const STATIC_FIXED = 23;

export type PackedPosition = PositionFields & { readonly source: string; readonly score: number };
export type PackedStatic = VesselStaticFields & { readonly ts: number | null };

const u16 = (v: number | null, scale: number): number => (v === null ? U16_NA : Math.min(U16_NA - 1, Math.max(0, Math.round(v * scale))));

/** Bytes before each position in `packPositions`: its length, uint32. */
const RECORD_HEAD = 4;

/**
 * The positions of one script call as one argument: per position its length (uint32), then uint32
 * mmsi and the value stored as is: float64 ts, float64 score, int32 lat, int32 lon, uint16 sog,
 * cog, heading, uint8 navStatus, the source. One argument per call instead of one per vessel:
 * ioredis kept each argument's Buffer until the reply (most of them promoted out of the young
 * generation) and wrote each one separately (its argument handling and the socket's writev were
 * ~4 % of the bulk ingest profile).
 */
export function packPositions(rows: readonly PositionRow[]): Buffer {
  let size = 0;
  for (const p of rows) size += RECORD_HEAD + 4 + POSITION_FIXED + Buffer.byteLength(p.source, 'utf8');
  const buf = Buffer.allocUnsafe(size);
  let o = 0;
  for (const p of rows) o = packPosition(buf, o, p);
  return buf;
}

function packPosition(buf: Buffer, at: number, p: PositionRow): number {
  const o = at + RECORD_HEAD;
  buf.writeUInt32LE(p.mmsi, o);
  buf.writeDoubleLE(Math.trunc(p.ts), o + 4);
  buf.writeDoubleLE(p.score, o + 12);
  buf.writeInt32LE(Math.round(p.lat * COORD_UNITS), o + 20);
  buf.writeInt32LE(Math.round(p.lon * COORD_UNITS), o + 24);
  buf.writeUInt16LE(u16(p.sog, 10), o + 28);
  buf.writeUInt16LE(u16(p.cog, 10), o + 30);
  buf.writeUInt16LE(u16(p.heading, 1), o + 32);
  buf.writeUInt8(p.navStatus === null ? U8_NA : Math.min(U8_NA - 1, Math.max(0, p.navStatus)), o + 34);
  const end = o + 4 + POSITION_FIXED + buf.write(p.source, o + 4 + POSITION_FIXED, 'utf8');
  buf.writeUInt32LE(end - o, at);
  return end;
}

const na16 = (v: number, scale: number): number | null => (v === U16_NA ? null : v / scale);

/** The stored position value (a record of packPositions without its length and mmsi), or null when it is not one. */
export function decodePosition(v: Buffer): PackedPosition | null {
  if (v.length < POSITION_FIXED) return null;
  const ns = v.readUInt8(30);
  return {
    ts: v.readDoubleLE(0),
    score: v.readDoubleLE(8),
    lat: v.readInt32LE(16) / COORD_UNITS,
    lon: v.readInt32LE(20) / COORD_UNITS,
    sog: na16(v.readUInt16LE(24), 10),
    cog: na16(v.readUInt16LE(26), 10),
    heading: na16(v.readUInt16LE(28), 1),
    navStatus: ns === U8_NA ? null : ns,
    source: v.toString('utf8', POSITION_FIXED),
  };
}

const zeroNull = (v: number): number | null => (v === 0 ? null : v);
const emptyNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** Static data from its two fields (either may be absent); null when neither is stored. */
export function decodeStatic(numbers: Buffer | null, text: Buffer | null): PackedStatic | null {
  if (numbers === null && text === null) return null;
  const ok = numbers !== null && numbers.length >= STATIC_FIXED;
  const [name, destination] = text === null ? [] : text.toString('utf8').split('\0');
  return {
    ts: ok ? numbers.readDoubleLE(0) : null,
    imo: ok ? zeroNull(numbers.readUInt32LE(8)) : null,
    shipType: ok ? zeroNull(numbers.readUInt8(12)) : null,
    toBow: ok ? zeroNull(numbers.readUInt16LE(13)) : null,
    toStern: ok ? zeroNull(numbers.readUInt16LE(15)) : null,
    toPort: ok ? zeroNull(numbers.readUInt16LE(17)) : null,
    toStarboard: ok ? zeroNull(numbers.readUInt16LE(19)) : null,
    draught: ok ? (numbers.readUInt16LE(21) === 0 ? null : numbers.readUInt16LE(21) / 10) : null,
    callsign: ok ? emptyNull(numbers.toString('utf8', STATIC_FIXED)) : null,
    name: emptyNull(name),
    destination: emptyNull(destination),
  };
}
