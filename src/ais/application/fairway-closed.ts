import { sixbitText, ubits } from '../sixbit.js';
import type { FairwayClosed } from './application-types.js';

/** Every field of IMO236 application 13 ends by bit 468 (4 spare bits make the 472-bit message). */
export const FAIRWAY_CLOSED_BITS = 468;

/** DAC 1 FID 13 (type 8); the closing period is sent day before month. */
export function decodeFairwayClosed(p: string): FairwayClosed {
  return {
    kind: 'fairway-closed',
    reason: sixbitText(p, 56, 20),
    closedFrom: sixbitText(p, 176, 20),
    closedTo: sixbitText(p, 296, 20),
    radius: ubits(p, 416, 10),
    radiusUnit: ubits(p, 426, 2),
    from: { day: ubits(p, 428, 5), month: ubits(p, 433, 4), hour: ubits(p, 437, 5), minute: ubits(p, 442, 6) },
    to: { day: ubits(p, 448, 5), month: ubits(p, 453, 4), hour: ubits(p, 457, 5), minute: ubits(p, 462, 6) },
  };
}
