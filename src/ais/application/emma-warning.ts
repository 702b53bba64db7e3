import { ubits } from '../sixbit.js';
import type { EmmaTime, EmmaWarning } from './application-types.js';
import { lat10000, lon10000 } from './fields.js';

/** The EMMA warning is a fixed 256-bit message. */
export const EMMA_WARNING_BITS = 256;

/**
 * Min/max are sign and magnitude, not two's complement: the standard's bit 0 (the least
 * significant, last sent) is the sign, 0 = positive and 1 = negative, bits 1-8 the magnitude;
 * magnitude 255 is "unknown". gpsd reads the 9 bits as two's complement (docs/gpsd-differences.md).
 */
export function emmaValue(raw: number): number | null {
  const magnitude = raw >>> 1;
  if (magnitude === 255) return null;
  return (raw & 1) === 1 ? -magnitude : magnitude;
}

/** Year since 2000 (8 bits), month, day; the times of day come later in the message. */
function date(p: string, at: number, timeAt: number): EmmaTime {
  const year = ubits(p, at, 8);
  return {
    year: year === 0 ? null : 2000 + year,
    month: ubits(p, at + 8, 4),
    day: ubits(p, at + 12, 5),
    hour: ubits(p, timeAt, 5),
    minute: ubits(p, timeAt + 5, 6),
  };
}

/** DAC 200 FID 23 (type 8). */
export function decodeEmmaWarning(p: string): EmmaWarning {
  return {
    kind: 'emma-warning',
    start: date(p, 56, 90),
    end: date(p, 73, 101),
    startLon: lon10000(p, 112),
    startLat: lat10000(p, 140),
    endLon: lon10000(p, 167),
    endLat: lat10000(p, 195),
    warningType: ubits(p, 222, 4),
    min: emmaValue(ubits(p, 226, 9)),
    max: emmaValue(ubits(p, 235, 9)),
    classification: ubits(p, 244, 2),
    windDirection: ubits(p, 246, 4),
  };
}
