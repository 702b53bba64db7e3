import { ubits } from '../sixbit.js';
import type { AcknowledgeMessage, Acknowledgement } from '../types.js';

export const ACKNOWLEDGE_MIN_BITS = 72;

/** Types 7 and 13 (M.1371-5 table 50): 1 to 4 (MMSI, sequence number) pairs of 32 bits each. */
export function decodeAcknowledge(p: string, bitlen: number, type: 7 | 13, repeat: number, mmsi: number): AcknowledgeMessage {
  const acks: Acknowledgement[] = [];
  for (let i = 0; i < 4; i++) {
    const at = 40 + 32 * i;
    // The standard sends 72/104/136/168 bits, but transmitters in the wild drop trailing spare
    // and sequence bits (128- and 124-bit messages with three destinations are known good), so
    // a destination counts when it starts inside the message; missing low bits read as zero.
    if (at >= bitlen) break;
    acks.push({ mmsi: ubits(p, at, 30), seqno: ubits(p, at + 30, 2) });
  }
  return { type, repeat, mmsi, acks };
}
