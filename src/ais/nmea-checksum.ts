/**
 * The NMEA checksum: XOR of the characters between the leading `!`, `$` or `\` and the `*`,
 * written as two hex digits. Sentences, tag blocks and Gatehouse wrappers all use it, in both
 * directions (the decoder checks it, the encoders and the traffic generator write it).
 *
 * It lives in `ais`, not `utils`: it is AIS/NMEA knowledge, and `ais` imports nothing of ours.
 */

const HEX = '0123456789ABCDEF';

/** XOR of the char codes of `s` in [start, end). */
export function nmeaChecksum(s: string, start = 0, end = s.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= s.charCodeAt(i);
  return sum;
}

/** Two upper-case hex digits, as written after the `*`. */
export function checksumHex(sum: number): string {
  return HEX.charAt((sum >> 4) & 15) + HEX.charAt(sum & 15);
}

/** Value of one hex digit (either case: receivers write both), or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
