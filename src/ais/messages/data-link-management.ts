import { ubits } from '../sixbit.js';
import type { DataLinkManagement, SlotReservation } from '../types.js';

export const DATA_LINK_MIN_BITS = 72;

/** Type 20 (M.1371-5 table 63): 1 to 4 reservations of 30 bits from bit 40. */
export function decodeDataLinkManagement(p: string, bitlen: number, repeat: number, mmsi: number): DataLinkManagement {
  const reservations: SlotReservation[] = [];
  for (let i = 0; i < 4; i++) {
    const at = 40 + 30 * i;
    if (at + 30 > bitlen) break;
    reservations.push({ offset: ubits(p, at, 12), number: ubits(p, at + 12, 4), timeout: ubits(p, at + 16, 3), increment: ubits(p, at + 19, 11) });
  }
  return { type: 20, repeat, mmsi, reservations };
}
