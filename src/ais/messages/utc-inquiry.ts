import { ubits } from '../sixbit.js';
import type { UtcInquiry } from '../types.js';

export const UTC_INQUIRY_MIN_BITS = 72;

/** Type 10 (M.1371-5 table 54). */
export function decodeUtcInquiry(p: string, repeat: number, mmsi: number): UtcInquiry {
  return { type: 10, repeat, mmsi, destMmsi: ubits(p, 40, 30) };
}
