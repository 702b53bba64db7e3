import { sixbitText, ubits } from '../sixbit.js';
import type { InlandEta, InlandRta } from './application-types.js';
import { dayTime } from './fields.js';

/** Both Inland AIS messages have a fixed length, which is also how gpsd recognises them. */
export const INLAND_ETA_BITS = 248;
export const INLAND_RTA_BITS = 232;

function lockPoint(p: string): Pick<InlandEta, 'country' | 'locode' | 'fairwaySection' | 'terminal' | 'hectometre'> {
  return {
    country: sixbitText(p, 88, 2),
    locode: sixbitText(p, 100, 3),
    fairwaySection: sixbitText(p, 118, 5),
    terminal: sixbitText(p, 148, 5),
    hectometre: sixbitText(p, 178, 5),
  };
}

/** DAC 200 FID 21 (type 6): ETA at lock/bridge/terminal. */
export function decodeInlandEta(p: string): InlandEta {
  const tugs = ubits(p, 228, 3);
  const airDraught = ubits(p, 231, 12);
  return {
    kind: 'inland-eta',
    ...lockPoint(p),
    eta: dayTime(p, 208),
    tugs: tugs === 7 ? null : tugs,
    airDraught: airDraught === 0 ? null : airDraught / 100,
  };
}

/** DAC 200 FID 22 (type 6): RTA at lock/bridge/terminal. */
export function decodeInlandRta(p: string): InlandRta {
  return { kind: 'inland-rta', ...lockPoint(p), rta: dayTime(p, 208), status: ubits(p, 228, 2) };
}
