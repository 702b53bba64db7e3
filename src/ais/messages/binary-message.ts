import { decodeAddressedApplication, decodeBroadcastApplication } from '../application/application-decoder.js';
import { bitsToHex, ubits } from '../sixbit.js';
import type { AddressedBinaryMessage, BinaryBroadcastMessage } from '../types.js';

export const ADDRESSED_BINARY_MIN_BITS = 88;
export const BINARY_BROADCAST_MIN_BITS = 56;

/** Type 6 (M.1371-5 table 49): addressed binary message, application data from bit 88. */
export function decodeAddressedBinary(p: string, bitlen: number, repeat: number, mmsi: number): AddressedBinaryMessage {
  const dac = ubits(p, 72, 10);
  const fid = ubits(p, 82, 6);
  const bitCount = bitlen - 88;
  return {
    type: 6,
    repeat,
    mmsi,
    seqno: ubits(p, 38, 2),
    destMmsi: ubits(p, 40, 30),
    retransmit: ubits(p, 70, 1) === 1,
    dac,
    fid,
    bitCount,
    data: bitsToHex(p, 88, bitCount),
    app: decodeAddressedApplication(p, bitlen, dac, fid),
  };
}

/** Type 8 (M.1371-5 table 51): broadcast binary message, application data from bit 56. */
export function decodeBinaryBroadcast(p: string, bitlen: number, repeat: number, mmsi: number): BinaryBroadcastMessage {
  const dac = ubits(p, 40, 10);
  const fid = ubits(p, 50, 6);
  const bitCount = bitlen - 56;
  return {
    type: 8,
    repeat,
    mmsi,
    dac,
    fid,
    bitCount,
    data: bitsToHex(p, 56, bitCount),
    app: decodeBroadcastApplication(p, bitlen, dac, fid),
  };
}
