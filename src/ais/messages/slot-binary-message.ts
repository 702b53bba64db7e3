import { bitsToHex, ubits } from '../sixbit.js';
import type { SlotBinaryMessage } from '../types.js';

export const SINGLE_SLOT_MIN_BITS = 40;
export const MULTIPLE_SLOT_MIN_BITS = 60;

/**
 * Types 25 and 26 (M.1371-5 tables 69-71). Returns null when the message is too short for the
 * header its addressed/structured flags announce. Type 26 ends with a 20-bit communication state
 * (selector flag + 19 bits) that is not part of the data.
 */
export function decodeSlotBinaryMessage(p: string, bitlen: number, type: 25 | 26, repeat: number, mmsi: number): SlotBinaryMessage | null {
  const addressed = ubits(p, 38, 1) === 1;
  const structured = ubits(p, 39, 1) === 1;
  const tail = type === 26 ? 20 : 0;
  const dataStart = 40 + (addressed ? 30 : 0) + (structured ? 16 : 0);
  if (bitlen < dataStart + tail) return null;
  const bitCount = bitlen - dataStart - tail;
  return {
    type,
    repeat,
    mmsi,
    addressed,
    structured,
    destMmsi: addressed ? ubits(p, 40, 30) : null,
    appId: structured ? ubits(p, addressed ? 70 : 40, 16) : null,
    bitCount,
    data: bitsToHex(p, dataStart, bitCount),
    radio: type === 26 ? ubits(p, bitlen - 20, 20) : null,
  };
}
