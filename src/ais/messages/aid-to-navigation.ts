import { sbits, sixbitText, sixbitTextUntrimmed, trimRightSpaces, ubits } from '../sixbit.js';
import type { AidToNavigationReport } from '../types.js';
import { lat10k, lon10k } from './field-values.js';

export const AID_TO_NAVIGATION_MIN_BITS = 272;

/**
 * Type 21 (M.1371-5 table 64). A name longer than 20 characters continues in the name
 * extension after bit 272; it only applies when the first 20 characters are all used.
 */
export function decodeAidToNavigation(p: string, bitlen: number, repeat: number, mmsi: number): AidToNavigationReport {
  let name = sixbitTextUntrimmed(p, 43, 20);
  if (name.length === 20 && bitlen > 272) name += sixbitText(p, 272, Math.floor((bitlen - 272) / 6));
  return {
    type: 21,
    repeat,
    mmsi,
    aidType: ubits(p, 38, 5),
    name: trimRightSpaces(name),
    accuracy: ubits(p, 163, 1) === 1,
    lon: lon10k(sbits(p, 164, 28)),
    lat: lat10k(sbits(p, 192, 27)),
    toBow: ubits(p, 219, 9),
    toStern: ubits(p, 228, 9),
    toPort: ubits(p, 237, 6),
    toStarboard: ubits(p, 243, 6),
    epfd: ubits(p, 249, 4),
    second: ubits(p, 253, 6),
    offPosition: ubits(p, 259, 1) === 1,
    regional: ubits(p, 260, 8),
    raim: ubits(p, 268, 1) === 1,
    virtualAid: ubits(p, 269, 1) === 1,
    assigned: ubits(p, 270, 1) === 1,
  };
}
