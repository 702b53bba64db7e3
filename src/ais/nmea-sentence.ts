/**
 * Framing of one `!xxVDM` / `!xxVDO` sentence: checksum and the six fields, located by index.
 *
 * This is the hot path of every NMEA feed, so it allocates nothing on success except the
 * payload substring the caller asks for later: it fills a caller-owned `SentenceFields` with
 * indices and numbers, scanning with charCodeAt (no regex, no split). Failures are values
 * (a RejectionReason plus `detail`), never exceptions.
 */
import type { RejectionReason } from './rejection-reason.js';
import { checksumHex, hexDigit } from './nmea-checksum.js';

const COMMA = 44;
const STAR = 42;
const CH_0 = 48;
const CH_9 = 57;
const CH_A = 65;
const CH_Z = 90;

/** Mutable, reusable result of `parseSentence`; valid until the next call with the same object. */
export class SentenceFields {
  /** Two-letter talker (`AI`, `BS`, `AB`, ...). */
  talker = '';
  /** `VDO`: the receiver's own ship. */
  own = false;
  fragmentCount = 0;
  fragmentNumber = 0;
  /** Sequential message id as written; '' when the field is empty. */
  seqId = '';
  /** Radio channel as written (`A`, `B`, `1`, `2`); null when the field is empty. */
  channel: string | null = null;
  payloadStart = 0;
  payloadEnd = 0;
  /** Fill bits as written; -1 when the field is not a single digit (reported by the payload stage). */
  fillBits = 0;
  /** The transmitted checksum (0..255). */
  checksum = 0;
  /** Index just past the checksum digits: where trailing text, if any, begins. */
  end = 0;
  /** Why parsing failed (set only on failure). */
  detail = '';
}

/** Scratch for comma positions; parsing is synchronous, so one buffer serves every call. */
const commas = new Int32Array(6);

// Talker ids repeat endlessly; caching the two-letter strings avoids one allocation per line.
const talkerCache: (string | undefined)[] = new Array<string | undefined>(26 * 26);

function talkerString(c1: number, c2: number): string {
  const i = (c1 - CH_A) * 26 + (c2 - CH_A);
  let s = talkerCache[i];
  if (s === undefined) {
    s = String.fromCharCode(c1, c2);
    talkerCache[i] = s;
  }
  return s;
}

/**
 * True when `line` at `at` reads `!ccVDM` / `!ccVDO` (or with `$`): an AIS sentence start.
 * Cheap enough to use when looking for a sentence inside a wrapped or glued line.
 */
export function isAisSentenceStart(line: string, at: number): boolean {
  const c0 = line.charCodeAt(at);
  if (c0 !== 33 && c0 !== 36) return false;
  const c1 = line.charCodeAt(at + 1);
  const c2 = line.charCodeAt(at + 2);
  if (!(c1 >= CH_A && c1 <= CH_Z && c2 >= CH_A && c2 <= CH_Z)) return false;
  if (line.charCodeAt(at + 3) !== 86 || line.charCodeAt(at + 4) !== 68) return false; // 'V' 'D'
  const c5 = line.charCodeAt(at + 5);
  return c5 === 77 || c5 === 79; // 'M' | 'O'
}

/** Reads a decimal field of at most 6 digits in [from, to); -1 when empty or not digits. */
function readSmallInt(line: string, from: number, to: number): number {
  if (to <= from || to - from > 6) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < CH_0 || c > CH_9) return -1;
    v = v * 10 + (c - CH_0);
  }
  return v;
}

function fail(out: SentenceFields, reason: RejectionReason, detail: string): RejectionReason {
  out.detail = detail;
  return reason;
}

/**
 * Parse the sentence that starts at `start` (`!` or `$`) and must end by `end` (text after the
 * checksum is left to the caller: see `out.end`). Returns null on success.
 *
 * Order of checks: the checksum first, because a corrupted line more often fails it than any
 * field check, and "bad checksum" is the diagnosis a user can act on (a noisy link).
 * The sentence is XORed up to the first '*': a payload never contains one.
 */
export function parseSentence(line: string, start: number, end: number, out: SentenceFields): RejectionReason | null {
  // One pass up to the '*': the XOR (nmeaChecksum, inlined) must touch every character anyway,
  // so it also notes where the commas are instead of searching for them again.
  let sum = 0;
  let n = 0;
  let star = -1;
  for (let i = start + 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === STAR) {
      star = i;
      break;
    }
    sum ^= c;
    if (c === COMMA) {
      if (n < 6) commas[n] = i;
      n++;
    }
  }
  if (star < 0) return fail(out, 'malformed_sentence', 'no "*hh" checksum');
  if (star + 3 > end) return fail(out, 'malformed_sentence', 'checksum truncated');
  const h1 = hexDigit(line.charCodeAt(star + 1));
  const h2 = hexDigit(line.charCodeAt(star + 2));
  if (h1 < 0 || h2 < 0) return fail(out, 'malformed_sentence', 'checksum is not two hex digits');
  const given = (h1 << 4) | h2;
  if (sum !== given) {
    return fail(out, 'bad_checksum', `checksum *${checksumHex(given)} but the sentence sums to ${checksumHex(sum)}`);
  }
  out.checksum = given;
  out.end = star + 3;

  if (!isAisSentenceStart(line, start) || commas[0] !== start + 6) {
    return fail(out, 'malformed_sentence', 'not an !xxVDM/!xxVDO sentence');
  }
  out.talker = talkerString(line.charCodeAt(start + 1), line.charCodeAt(start + 2));
  out.own = line.charCodeAt(start + 5) === 79;

  // The address field's comma plus five separators for the six data fields.
  if (n < 6) return fail(out, 'malformed_sentence', 'missing fields (expected 6)');
  if (n > 6) return fail(out, 'malformed_sentence', 'extra fields (expected 6)');
  const f1 = start + 7;
  const c1 = commas[1] as number;
  const c2 = commas[2] as number;
  const c3 = commas[3] as number;
  const c4 = commas[4] as number;
  const c5 = commas[5] as number;

  const count = readSmallInt(line, f1, c1);
  if (count < 0) return fail(out, 'malformed_sentence', `fragment count "${line.slice(f1, c1)}" is not a number`);
  const num = readSmallInt(line, c1 + 1, c2);
  if (num < 0) return fail(out, 'malformed_sentence', `fragment number "${line.slice(c1 + 1, c2)}" is not a number`);
  if (count < 1 || count > 9 || num < 1 || num > count) {
    return fail(out, 'bad_fragment_sequence', `fragment ${num} of ${count} is out of range (1..9)`);
  }
  out.fragmentCount = count;
  out.fragmentNumber = num;

  const seqLen = c3 - c2 - 1;
  if (seqLen === 0) out.seqId = '';
  else if (seqLen === 1) {
    const c = line.charCodeAt(c2 + 1);
    if (c < CH_0 || c > CH_9) return fail(out, 'malformed_sentence', `sequential id "${line.charAt(c2 + 1)}" is not a digit`);
    out.seqId = line.charAt(c2 + 1);
  } else {
    if (readSmallInt(line, c2 + 1, c3) < 0) {
      return fail(out, 'malformed_sentence', `sequential id "${line.slice(c2 + 1, c3)}" is not a number`);
    }
    out.seqId = line.slice(c2 + 1, c3);
  }

  const chLen = c4 - c3 - 1;
  if (chLen === 0) out.channel = null;
  else if (chLen === 1) out.channel = line.charAt(c3 + 1);
  else if (chLen <= 2) out.channel = line.slice(c3 + 1, c4);
  else return fail(out, 'malformed_sentence', `channel "${line.slice(c3 + 1, c4)}" is not a radio channel`);

  out.payloadStart = c4 + 1;
  out.payloadEnd = c5;
  // The payload stage owns fill-bit semantics (0..5 and consistency with the length); here we
  // only read the digit and leave -1 for anything else so it is reported as bad_fill_bits.
  const fb = star - c5 - 1 === 1 ? line.charCodeAt(c5 + 1) - CH_0 : -1;
  out.fillBits = fb >= 0 && fb <= 9 ? fb : -1;
  return null;
}
