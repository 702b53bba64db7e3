import { sixbitText, ubits } from '../sixbit.js';
import type { SyntheticTarget, SyntheticTargets } from './application-types.js';
import { lat1000, lon1000 } from './fields.js';

/** Each target is 122 bits from bit 56; IMO289 allows 1 to 4 per message. */
export const SYNTHETIC_TARGET_BITS = 122;

function target(p: string, a: number): SyntheticTarget {
  const course = ubits(p, a + 97, 9);
  const speed = ubits(p, a + 112, 10);
  const position = {
    lat: lat1000(p, a + 48),
    lon: lon1000(p, a + 72),
    course: course === 360 ? null : course,
    second: ubits(p, a + 106, 6),
    speed: speed === 255 ? null : speed,
  };
  // The 42-bit identifier is a binary number for MMSI/IMO and 7 six-bit characters otherwise.
  switch (ubits(p, a, 2)) {
    case 0:
      return { idType: 0, mmsi: ubits(p, a + 2, 42), ...position };
    case 1:
      return { idType: 1, imo: ubits(p, a + 2, 42), ...position };
    case 2:
      return { idType: 2, callsign: sixbitText(p, a + 2, 7), ...position };
    default:
      return { idType: 3, other: sixbitText(p, a + 2, 7), ...position };
  }
}

/**
 * DAC 1 FID 17 (type 8). Only whole targets count: gpsd also reads an entry starting in the
 * trailing spare bits (or exactly at the end), printing an invented all-zero target.
 */
export function decodeSyntheticTargets(p: string, bitlen: number): SyntheticTargets {
  const targets: SyntheticTarget[] = [];
  for (let a = 56; a + SYNTHETIC_TARGET_BITS <= bitlen && targets.length < 4; a += SYNTHETIC_TARGET_BITS) {
    targets.push(target(p, a));
  }
  return { kind: 'synthetic-targets', targets };
}
