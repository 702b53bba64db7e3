import { ubits } from '../sixbit.js';
import type { Interrogation, InterrogationRequest } from '../types.js';

export const INTERROGATION_MIN_BITS = 88;

/**
 * Type 15 (M.1371-5 table 58). Lengths 88, 110 or 160 bits carry 1, 2 or 3 requests: station 1
 * for one or two message types, then station 2 for one.
 */
export function decodeInterrogation(p: string, bitlen: number, repeat: number, mmsi: number): Interrogation {
  const mmsi1 = ubits(p, 40, 30);
  const requests: InterrogationRequest[] = [{ mmsi: mmsi1, msgType: ubits(p, 70, 6), slotOffset: ubits(p, 76, 12) }];
  if (bitlen > 90) {
    requests.push({ mmsi: mmsi1, msgType: ubits(p, 90, 6), slotOffset: ubits(p, 96, 12) });
    if (bitlen > 110) {
      requests.push({ mmsi: ubits(p, 110, 30), msgType: ubits(p, 140, 6), slotOffset: ubits(p, 146, 12) });
    }
  }
  return { type: 15, repeat, mmsi, requests };
}
