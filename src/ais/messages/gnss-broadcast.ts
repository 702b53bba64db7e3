import { bitsToHex, sbits } from '../sixbit.js';
import type { GnssBroadcast } from '../types.js';
import { latTenthMinute, lonTenthMinute } from './field-values.js';

export const GNSS_BROADCAST_MIN_BITS = 80;

/** Type 17 (M.1371-5 table 60): reference position then DGNSS correction data from bit 80. */
export function decodeGnssBroadcast(p: string, bitlen: number, repeat: number, mmsi: number): GnssBroadcast {
  const bitCount = bitlen - 80;
  return {
    type: 17,
    repeat,
    mmsi,
    lon: lonTenthMinute(sbits(p, 40, 18)),
    lat: latTenthMinute(sbits(p, 58, 17)),
    bitCount,
    data: bitsToHex(p, 80, bitCount),
  };
}
