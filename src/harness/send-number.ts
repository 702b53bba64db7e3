/**
 * The send number of `aisctl load --via udp|tcp`, carried in the tag block as `n:` (NMEA 4.0's
 * line count, a sequence a source stamps on its lines; aisctl's parser checks its shape and
 * ignores it, so it changes nothing downstream). Every line of one send carries the same number:
 * a multi-sentence message completes on its last line, and that line must lead back to the send.
 *
 * The receiving side turns the number into the intended send time with the same load shape the
 * sender runs (load-shape.ts: `timeOfSend(n)` is exact), so nothing per message crosses between
 * the sender's thread and the pipeline's but the lines themselves.
 */
import { checksumHex, nmeaChecksum } from '../ais/nmea-checksum.js';

const BACKSLASH = 92;
const COMMA = 44;
const STAR = 42;
const CH_0 = 48;
const CH_9 = 57;

/** `line` with `n:<n>` added to its tag block (checksum redone); a line without one is returned as is. */
export function withSendNumber(line: string, n: number): string {
  if (line.charCodeAt(0) !== BACKSLASH) return line;
  const close = line.indexOf('\\', 1);
  const star = close < 0 ? -1 : line.lastIndexOf('*', close);
  if (star <= 0) return line;
  const body = `${line.slice(1, star)},n:${n}`;
  return `\\${body}*${checksumHex(nmeaChecksum(body))}${line.slice(close)}`;
}

/** The `n:` of the line's tag block; -1 when there is none. Called per line, so no allocation. */
export function sendNumberOf(line: string): number {
  if (line.charCodeAt(0) !== BACKSLASH) return -1;
  const close = line.indexOf('\\', 1);
  if (close < 0) return -1;
  let at = 1;
  while (at < close) {
    if (line.charCodeAt(at) === 110 && line.charCodeAt(at + 1) === 58) {
      // 'n:'
      let v = 0;
      let i = at + 2;
      for (; i < close; i++) {
        const c = line.charCodeAt(i);
        if (c < CH_0 || c > CH_9) break;
        v = v * 10 + (c - CH_0);
      }
      const end = line.charCodeAt(i);
      return i > at + 2 && (end === COMMA || end === STAR) ? v : -1;
    }
    const comma = line.indexOf(',', at);
    if (comma < 0 || comma > close) return -1;
    at = comma + 1;
  }
  return -1;
}
