import { sixbitText, ubits } from '../sixbit.js';
import type { InlandStaticVoyage } from './application-types.js';

/** Inland static and voyage data (DAC 200 FID 10) is exactly 168 bits. */
export const INLAND_STATIC_BITS = 168;

/**
 * DAC 200 FID 10. Returns null when the content is implausible (hazard code above 5 or a
 * non-text ENI), which is how other users of DAC 200 FID 10 in the wild are told apart.
 */
export function decodeInlandStaticVoyage(p: string): InlandStaticVoyage | null {
  const hazard = ubits(p, 141, 3);
  if (hazard > 5) return null;
  return {
    kind: 'inland-static-voyage',
    vin: sixbitText(p, 56, 8),
    length: ubits(p, 104, 13) / 10,
    beam: ubits(p, 117, 10) / 10,
    shipType: ubits(p, 127, 14),
    hazard,
    draught: ubits(p, 144, 11) / 100,
    loaded: ubits(p, 155, 2),
    speedQuality: ubits(p, 157, 1) === 1,
    courseQuality: ubits(p, 158, 1) === 1,
    headingQuality: ubits(p, 159, 1) === 1,
  };
}
