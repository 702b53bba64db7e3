import { sixbitText, ubits } from '../sixbit.js';
import type { AddressedSafetyMessage, SafetyBroadcastMessage } from '../types.js';

export const ADDRESSED_SAFETY_MIN_BITS = 72;
export const SAFETY_BROADCAST_MIN_BITS = 40;

/** Type 12 (M.1371-5 table 55): text fills the rest of the message in whole 6-bit characters. */
export function decodeAddressedSafetyMessage(p: string, bitlen: number, repeat: number, mmsi: number): AddressedSafetyMessage {
  return {
    type: 12,
    repeat,
    mmsi,
    seqno: ubits(p, 38, 2),
    destMmsi: ubits(p, 40, 30),
    retransmit: ubits(p, 70, 1) === 1,
    text: sixbitText(p, 72, Math.floor((bitlen - 72) / 6)),
  };
}

/** Type 14 (M.1371-5 table 57). */
export function decodeSafetyBroadcastMessage(p: string, bitlen: number, repeat: number, mmsi: number): SafetyBroadcastMessage {
  return { type: 14, repeat, mmsi, text: sixbitText(p, 40, Math.floor((bitlen - 40) / 6)) };
}
