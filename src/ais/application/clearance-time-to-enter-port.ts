import { sbits, sixbitText, ubits } from '../sixbit.js';
import type { ClearanceTimeToEnterPort } from './application-types.js';

/** DAC 1 FID 18 (IMO SN.1/Circ.289): position in 1/1000 minute. */
export function decodeClearanceTimeToEnterPort(p: string): ClearanceTimeToEnterPort {
  return {
    kind: 'clearance-time',
    linkage: ubits(p, 88, 10),
    arrival: { month: ubits(p, 98, 4), day: ubits(p, 102, 5), hour: ubits(p, 107, 5), minute: ubits(p, 112, 6) },
    portName: sixbitText(p, 118, 20),
    destination: sixbitText(p, 238, 5),
    lon: sbits(p, 268, 25) / 60000,
    lat: sbits(p, 293, 24) / 60000,
  };
}
