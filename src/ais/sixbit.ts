/**
 * AIS 6-bit payload armoring (ITU-R M.1371-5 / IEC 61162-1 "AIS 6-bit ASCII") and a bit reader
 * that extracts fields straight from the payload string.
 *
 * A precomputed 128-entry table turns each payload character into its 6-bit value in one pass
 * that also validates the payload; fields are then extracted with 32-bit integer arithmetic, so
 * 30-bit fields crossing character boundaries need neither BigInt nor per-field allocation.
 */

/** char code -> 6-bit value, or -1 for characters outside the armoring alphabet. */
export const SIXBIT_VALUE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  // '0'..'W' -> 0..39, '`'..'w' -> 40..63
  for (let c = 48; c <= 87; c++) t[c] = c - 48;
  for (let c = 96; c <= 119; c++) t[c] = c - 56;
  return t;
})();

/** 6-bit value -> text character (the AIS "sixbit ASCII" table used in names and messages). */
export const SIXBIT_TEXT = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

/**
 * One-entry cache of the last payload read, packed five sextets (30 bits) per Int32 word: a field
 * of up to 30 bits then spans at most two words and comes out with two loads and a few shifts.
 * Packing costs one pass over the string (the same pass that validates it, through the table
 * above), after which every field read is integer arithmetic with no allocation. The cache is
 * keyed on the string itself, so callers just pass the payload; only the latest one is held.
 */
let words = new Int32Array(64);
let loaded: string | null = null;
let loadedInvalid = -1;

/**
 * Validates and packs `payload`; returns the index of the first character outside the 6-bit
 * alphabet, or -1 when the payload is clean (invalid characters read as zero bits).
 */
export function loadPayload(payload: string): number {
  if (payload === loaded) return loadedInvalid;
  const len = payload.length;
  const need = ((len / 5) | 0) + 2;
  if (words.length < need) words = new Int32Array(need * 2);
  let invalid = -1;
  let w = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = payload.charCodeAt(i);
    let v = c < 128 ? (SIXBIT_VALUE[c] as number) : -1;
    if (v < 0) {
      if (invalid < 0) invalid = i;
      v = 0;
    }
    acc = (acc << 6) | v;
    if (++n === 5) {
      words[w++] = acc;
      acc = 0;
      n = 0;
    }
  }
  // Left-align the partial last word and zero the rest, so reads past the end see zero bits.
  words[w] = n === 0 ? 0 : acc << (6 * (5 - n));
  words.fill(0, w + 1);
  loaded = payload;
  loadedInvalid = invalid;
  return invalid;
}

/** Index of the first character outside the 6-bit alphabet, or -1 when the payload is clean. */
export function firstInvalidChar(payload: string): number {
  return loadPayload(payload);
}

/** Armors 6-bit values back into payload characters (used by tests and encoders). */
export function sixbitChar(value: number): string {
  const v = value & 63;
  return String.fromCharCode(v < 40 ? v + 48 : v + 56);
}

/**
 * Unsigned field of `width` bits (1..48) starting at bit `start`. Bits past the end of the
 * payload read as zero, the way a receiver's zero-initialised bit buffer behaves (gpsd relies on
 * this for short messages).
 */
export function ubits(payload: string, start: number, width: number): number {
  if (payload !== loaded) loadPayload(payload);
  if (width > 30) {
    return ubits(payload, start, width - 30) * 1073741824 + ubits(payload, start + width - 30, 30);
  }
  const wi = (start / 30) | 0;
  if (wi >= words.length - 1) return 0;
  const off = start - wi * 30;
  const end = off + width;
  const w0 = words[wi] as number;
  if (end <= 30) return (w0 >>> (30 - end)) & ((1 << width) - 1);
  const rem = end - 30;
  return ((w0 & ((1 << (30 - off)) - 1)) << rem) | ((words[wi + 1] as number) >>> (30 - rem));
}

/** Two's-complement signed field of `width` bits. */
export function sbits(payload: string, start: number, width: number): number {
  const u = ubits(payload, start, width);
  const half = 2 ** (width - 1);
  return u >= half ? u - 2 * half : u;
}

/**
 * `count` six-bit text characters from bit `start`: stops at the first `@` (the standard's
 * padding/terminator) and trims trailing spaces, as gpsd does. Returns '' when nothing is left.
 */
export function sixbitText(payload: string, start: number, count: number): string {
  const raw = sixbitTextUntrimmed(payload, start, count);
  return trimRightSpaces(raw);
}

/** Like `sixbitText` but keeps trailing spaces (type 21 names are trimmed only after the extension). */
export function sixbitTextUntrimmed(payload: string, start: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const v = ubits(payload, start + 6 * i, 6);
    if (v === 0) break;
    out += SIXBIT_TEXT[v];
  }
  return out;
}

export function trimRightSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 64)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Hex dump of `bitCount` bits from `start`, rounded up to whole bytes. Bits beyond `start +
 * bitCount` in the last byte are zero (they are not part of the data, whatever the sender put in
 * the spare or fill bits).
 */
export function bitsToHex(payload: string, start: number, bitCount: number): string {
  if (bitCount <= 0) return '';
  const bytes = Math.ceil(bitCount / 8);
  let out = '';
  for (let b = 0; b < bytes; b++) {
    const take = Math.min(8, bitCount - b * 8);
    const v = ubits(payload, start + b * 8, take) * (1 << (8 - take));
    out += (v < 16 ? '0' : '') + v.toString(16);
  }
  return out;
}
