/**
 * NMEA 4.0 tag blocks: `\s:station,c:time,g:n-m-id,t:text*hh\` in front of a sentence.
 *
 * Only the parameters the pipeline uses are kept: `s:` (receiving station), `c:` (receive time)
 * and `g:` (sentence grouping, which drives reassembly). Others (`n:`, `t:`, `d:`, `r:`, and
 * vendor codes such as `q:` or `T:`) are checked for shape and ignored.
 */
import { checksumHex, hexDigit, nmeaChecksum } from './nmea-checksum.js';

const BACKSLASH = 92;
const CH_0 = 48;
const CH_9 = 57;

/**
 * `c:` values at or above this are milliseconds, below it seconds: 1e11 s is the year 5138,
 * 1e11 ms is March 1973, so real receive times of either unit fall on the right side.
 */
export const MILLISECONDS_THRESHOLD = 1e11;

/** Mutable, reusable result of `parseTagBlock`. */
export class TagBlockFields {
  station: string | null = null;
  /** `c:` as ms since the epoch (converted from seconds when small), or null. */
  receivedAt: number | null = null;
  /** `g:` id, or null when the block has no group. */
  groupId: string | null = null;
  groupNumber = 0;
  groupTotal = 0;
  /** Index just past the closing backslash. */
  end = 0;
  detail = '';

  reset(): void {
    this.station = null;
    this.receivedAt = null;
    this.groupId = null;
    this.groupNumber = 0;
    this.groupTotal = 0;
    this.end = 0;
    this.detail = '';
  }
}

/** Epoch seconds or ms (by magnitude, decimals allowed) in [from, to) to ms; NaN when not a number. */
export function parseEpoch(s: string, from: number, to: number): number {
  if (to <= from || to - from > 20) return Number.NaN;
  let int = 0;
  let i = from;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < CH_0 || c > CH_9) break;
    int = int * 10 + (c - CH_0);
  }
  if (i === from) return Number.NaN;
  let frac = 0;
  if (i < to) {
    if (s.charCodeAt(i) !== 46) return Number.NaN; // '.'
    let scale = 0.1;
    i++;
    if (i === to) return Number.NaN;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < CH_0 || c > CH_9) return Number.NaN;
      frac += (c - CH_0) * scale;
      scale /= 10;
    }
  }
  const v = int + frac;
  return v >= MILLISECONDS_THRESHOLD ? Math.round(v) : Math.round(v * 1000);
}

function readInt(s: string, from: number, to: number): number {
  if (to <= from || to - from > 9) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < CH_0 || c > CH_9) return -1;
    v = v * 10 + (c - CH_0);
  }
  return v;
}

function fail(out: TagBlockFields, detail: string): false {
  out.detail = detail;
  return false;
}

/**
 * Parse the tag block whose opening backslash is at `start`, within [start, end).
 * Returns true and fills `out` (reset first); false with `out.detail` when the block is not
 * closed, has no or a wrong checksum, or a `c:`/`g:` value that does not parse.
 *
 * The checksum may be one hex digit: some networks drop the leading zero, which loses nothing.
 */
export function parseTagBlock(line: string, start: number, end: number, out: TagBlockFields): boolean {
  out.reset();
  const close = line.indexOf('\\', start + 1);
  if (close < 0 || close >= end) return fail(out, 'tag block is not closed by "\\"');
  const star = line.lastIndexOf('*', close);
  if (star <= start) return fail(out, 'tag block has no "*hh" checksum');
  let given = 0;
  const digits = close - star - 1;
  if (digits < 1 || digits > 2) return fail(out, 'tag block checksum is not one or two hex digits');
  for (let i = star + 1; i < close; i++) {
    const h = hexDigit(line.charCodeAt(i));
    if (h < 0) return fail(out, 'tag block checksum is not hex');
    given = (given << 4) | h;
  }
  const sum = nmeaChecksum(line, start + 1, star);
  if (sum !== given) {
    return fail(out, `tag block checksum *${line.slice(star + 1, close)} but it sums to ${checksumHex(sum)}`);
  }
  out.end = close + 1;

  let p = start + 1;
  while (p < star) {
    let comma = line.indexOf(',', p);
    if (comma < 0 || comma > star) comma = star;
    const colon = line.indexOf(':', p);
    if (colon < 0 || colon >= comma) return fail(out, `tag block parameter "${line.slice(p, comma)}" has no ":"`);
    if (colon === p + 1) {
      const code = line.charCodeAt(p);
      if (code === 115) {
        // s: source station
        out.station = colon + 1 < comma ? line.slice(colon + 1, comma) : null;
      } else if (code === 99) {
        // c: receive time
        const t = parseEpoch(line, colon + 1, comma);
        if (Number.isNaN(t)) return fail(out, `tag block time "c:${line.slice(colon + 1, comma)}" is not an epoch time`);
        out.receivedAt = t;
      } else if (code === 103) {
        // g: n-m-id
        const d1 = line.indexOf('-', colon + 1);
        const d2 = d1 < 0 ? -1 : line.indexOf('-', d1 + 1);
        const n = d1 < 0 || d1 > comma ? -1 : readInt(line, colon + 1, d1);
        const m = d2 < 0 || d2 > comma ? -1 : readInt(line, d1 + 1, d2);
        if (n < 1 || m < 1 || n > m || d2 + 1 >= comma) {
          return fail(out, `tag block group "g:${line.slice(colon + 1, comma)}" is not n-m-id`);
        }
        out.groupNumber = n;
        out.groupTotal = m;
        out.groupId = line.slice(d2 + 1, comma);
      }
    }
    p = comma + 1;
  }
  return true;
}

/** True when the character at `at` opens a tag block. */
export function isTagBlockStart(line: string, at: number): boolean {
  return line.charCodeAt(at) === BACKSLASH && at + 1 < line.length && line.charCodeAt(at + 1) !== BACKSLASH;
}
