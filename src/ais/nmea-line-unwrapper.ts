/**
 * Wrappers that receivers and loggers put around AIS sentences, and the metadata they carry:
 *
 * - Gatehouse: a `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,country,region,pss,online,cc*hh` line before
 *   the sentence; it carries the receive time, and `cc` is the checksum of the sentence it wraps.
 * - Trailer (USCG NAIS and others): text after the checksum, comma separated, such as
 *   `,s36310,d-081,T59.01,x147521,r08TPHI1,1242958962`: the station is the field starting with
 *   `r`, `b` or `B`, and the last field, when numeric, is the receive time (epoch seconds or ms).
 * - Prefix: a logger's timestamp before the sentence, `1635731889.123 !AIVDM,...` or
 *   `2021-11-01T00:00:01Z !AIVDM,...`.
 *
 * Pure parsing: dates are computed with Date.UTC from the text, the clock is never read.
 */
import { hexDigit, nmeaChecksum } from './nmea-checksum.js';
import { isAisSentenceStart } from './nmea-sentence.js';
import { parseEpoch } from './tag-block.js';

const CH_0 = 48;
const CH_9 = 57;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** Result of `parseGatehouse`. */
export interface GatehouseWrapper {
  /** Receive time in ms since the epoch, or null when the line is not a type-1 (time) record. */
  readonly receivedAt: number | null;
  /** Checksum of the sentence this wrapper belongs to, or null when the field is empty. */
  readonly sentenceChecksum: number | null;
}

/** True when [start, end) begins with `$PGHP,`. */
export function isGatehouseLine(line: string, start: number): boolean {
  return line.startsWith('$PGHP,', start);
}

/**
 * Parse a `$PGHP` line in [start, end). Returns null when its own checksum is missing or wrong
 * (the wrapper cannot be trusted then), else the time and the wrapped sentence's checksum.
 */
export function parseGatehouse(line: string, start: number, end: number): GatehouseWrapper | null {
  const star = line.indexOf('*', start);
  if (star < 0 || star + 3 > end) return null;
  const h1 = hexDigit(line.charCodeAt(star + 1));
  const h2 = hexDigit(line.charCodeAt(star + 2));
  if (h1 < 0 || h2 < 0) return null;
  if (nmeaChecksum(line, start + 1, star) !== ((h1 << 4) | h2)) return null;

  // Fields after "$PGHP,": 0 type, 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second,
  // 7 millisecond, 8 country, 9 region, 10 pss, 11 online, 12 cc.
  const values: number[] = [];
  let cc: number | null = null;
  let p = start + 6;
  for (let field = 0; p <= star; field++) {
    let comma = line.indexOf(',', p);
    if (comma < 0 || comma > star) comma = star;
    if (field === 12) {
      if (comma - p === 2) {
        const a = hexDigit(line.charCodeAt(p));
        const b = hexDigit(line.charCodeAt(p + 1));
        if (a >= 0 && b >= 0) cc = (a << 4) | b;
      }
    } else if (field <= 7) {
      let v = 0;
      let ok = comma > p;
      for (let i = p; i < comma && ok; i++) {
        const c = line.charCodeAt(i);
        if (isDigit(c)) v = v * 10 + (c - CH_0);
        else ok = false;
      }
      values.push(ok ? v : Number.NaN);
    }
    p = comma + 1;
  }
  let receivedAt: number | null = null;
  if (values.length === 8 && values[0] === 1) {
    const [, y, mo, d, h, mi, s, ms] = values as [number, number, number, number, number, number, number, number];
    if (validDateParts(y, mo, d, h, mi, s) && ms < 1000) receivedAt = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  }
  return { receivedAt, sentenceChecksum: cc };
}

function validDateParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

/** Mutable, reusable result of `parseTrailer`. */
export class TrailerFields {
  station: string | null = null;
  receivedAt: number | null = null;
  /** Index of another sentence (or tag block) glued on after this one; -1 when none. */
  glued = -1;

  reset(): void {
    this.station = null;
    this.receivedAt = null;
    this.glued = -1;
  }
}

/**
 * Read the text after a sentence's checksum, in [from, end). Returns true when it carried a
 * station or a time. A second sentence glued on (a logger that lost a newline) is reported in
 * `out.glued` for the caller to decode, and ends the trailer.
 */
export function parseTrailer(line: string, from: number, end: number, out: TrailerFields): boolean {
  out.reset();
  let p = from;
  while (p < end) {
    const c = line.charCodeAt(p);
    if (c === 33 || c === 36) {
      if (isAisSentenceStart(line, p)) {
        out.glued = p;
        break;
      }
    } else if (c === 92) {
      // Only a complete tag block directly followed by a sentence is a glued record; other
      // backslashes are text (gpsd's sample has a literal "\x0d\x0a" after one checksum).
      const close = line.indexOf('\\', p + 1);
      if (close > p + 1 && close < end && isAisSentenceStart(line, close + 1)) {
        out.glued = p;
        break;
      }
    }
    if (c === 44 || c <= 32) {
      p++;
      continue;
    }
    // One field: up to the next separator.
    let q = p + 1;
    while (q < end) {
      const d = line.charCodeAt(q);
      if (d === 44 || d <= 32 || d === 33 || d === 92) break;
      q++;
    }
    if (c === 114 || c === 98 || c === 66) {
      // r / b / B: receiving station id
      if (q > p + 1) out.station = line.slice(p, q);
    } else if (isDigit(c) && q - p >= 9) {
      // At least 9 digits (1973 on): short numbers here are counters, not times.
      const t = parseEpoch(line, p, q);
      if (!Number.isNaN(t)) out.receivedAt = t;
    }
    p = q;
  }
  return out.station !== null || out.receivedAt !== null;
}

/**
 * A timestamp written before a sentence in [start, end): epoch seconds or ms (decimals allowed)
 * or ISO 8601 `yyyy-mm-dd[T ]hh:mm:ss[.fff][Z]` (read as UTC), optionally in brackets and
 * followed by separators. Returns ms since the epoch, or null when it is not a timestamp.
 */
export function parsePrefixTimestamp(line: string, start: number, end: number): number | null {
  let a = start;
  let b = end;
  while (a < b && isPrefixSeparator(line.charCodeAt(a))) a++;
  while (b > a && isPrefixSeparator(line.charCodeAt(b - 1))) b--;
  if (a >= b) return null;
  if (b - a >= 19 && line.charCodeAt(a + 4) === 45 && line.charCodeAt(a + 7) === 45) return parseIso(line, a, b);
  const t = parseEpoch(line, a, b);
  return Number.isNaN(t) ? null : t;
}

function isPrefixSeparator(c: number): boolean {
  // whitespace, ',', ';', '|', ':', '[', ']'
  return c <= 32 || c === 44 || c === 59 || c === 124 || c === 58 || c === 91 || c === 93;
}

function num(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return Number.NaN;
    v = v * 10 + (c - CH_0);
  }
  return v;
}

function parseIso(s: string, a: number, b: number): number | null {
  const sep = s.charCodeAt(a + 10);
  if (sep !== 84 && sep !== 32) return null; // 'T' or ' '
  if (s.charCodeAt(a + 13) !== 58 || s.charCodeAt(a + 16) !== 58) return null;
  const y = num(s, a, 4);
  const mo = num(s, a + 5, 2);
  const d = num(s, a + 8, 2);
  const h = num(s, a + 11, 2);
  const mi = num(s, a + 14, 2);
  const sec = num(s, a + 17, 2);
  if (!validDateParts(y, mo, d, h, mi, sec)) return null;
  let ms = 0;
  let p = a + 19;
  if (p < b && s.charCodeAt(p) === 46) {
    p++;
    let scale = 100;
    while (p < b && isDigit(s.charCodeAt(p))) {
      ms += (s.charCodeAt(p) - CH_0) * scale;
      scale /= 10;
      p++;
    }
    ms = Math.floor(ms);
  }
  if (p < b && s.charCodeAt(p) === 90) p++; // 'Z'
  if (p !== b) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}
