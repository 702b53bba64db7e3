import { sixbitText, ubits } from '../sixbit.js';
import type { DangerousCargoIndication } from './application-types.js';

/** DAC 1 FID 12 (IMO SN.1/Circ.236 application 2). */
export function decodeDangerousCargoIndication(p: string): DangerousCargoIndication {
  return {
    kind: 'dangerous-cargo',
    lastPort: sixbitText(p, 88, 5),
    departure: { month: ubits(p, 118, 4), day: ubits(p, 122, 5), hour: ubits(p, 127, 5), minute: ubits(p, 132, 6) },
    nextPort: sixbitText(p, 138, 5),
    eta: { month: ubits(p, 168, 4), day: ubits(p, 172, 5), hour: ubits(p, 177, 5), minute: ubits(p, 182, 6) },
    dangerousGoods: sixbitText(p, 188, 20),
    imdCategory: sixbitText(p, 308, 4),
    unNumber: ubits(p, 332, 13),
    amount: ubits(p, 345, 10),
    unit: ubits(p, 355, 2),
  };
}
