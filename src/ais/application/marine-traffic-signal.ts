import { sixbitText, ubits } from '../sixbit.js';
import type { MarineTrafficSignal } from './application-types.js';
import { lat1000, lon1000 } from './fields.js';

/** The fields end at bit 258; IMO289 pads the message with 102 spare bits to 360. */
export const MARINE_TRAFFIC_SIGNAL_BITS = 258;

/** DAC 1 FID 19 (type 8). */
export function decodeMarineTrafficSignal(p: string): MarineTrafficSignal {
  return {
    kind: 'marine-traffic-signal',
    linkage: ubits(p, 56, 10),
    station: sixbitText(p, 66, 20),
    lon: lon1000(p, 186),
    lat: lat1000(p, 211),
    status: ubits(p, 235, 2),
    signal: ubits(p, 237, 5),
    hour: ubits(p, 242, 5),
    minute: ubits(p, 247, 6),
    nextSignal: ubits(p, 253, 5),
  };
}
