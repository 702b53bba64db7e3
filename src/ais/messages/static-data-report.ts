import { sixbitText, ubits } from '../sixbit.js';
import type { StaticDataReportPart } from '../types.js';
import { shipType, text } from './field-values.js';

export const PART_A_MIN_BITS = 160;
export const PART_B_MIN_BITS = 168;

/** Auxiliary craft of a mothership (MMSI 98MIDxxxx) send the mothership's MMSI instead of dimensions. */
export function isAuxiliaryMmsi(mmsi: number): boolean {
  return mmsi >= 980000000 && mmsi < 990000000;
}

/**
 * Type 24 (M.1371-5 table 68). Returns null when the part is too short for its layout, or for
 * part numbers 2 and 3, which the standard does not define.
 */
export function decodeStaticDataReport(p: string, bitlen: number, repeat: number, mmsi: number): StaticDataReportPart | null {
  const partNo = ubits(p, 38, 2);
  if (partNo === 0) {
    if (bitlen < PART_A_MIN_BITS) return null;
    return { type: 24, repeat, mmsi, partNo: 0, shipName: text(sixbitText(p, 40, 20)) };
  }
  if (partNo !== 1 || bitlen < PART_B_MIN_BITS) return null;
  const aux = isAuxiliaryMmsi(mmsi);
  return {
    type: 24,
    repeat,
    mmsi,
    partNo: 1,
    shipType: shipType(ubits(p, 40, 8)),
    vendorId: sixbitText(p, 48, 7),
    model: ubits(p, 66, 4),
    serial: ubits(p, 70, 20),
    callsign: text(sixbitText(p, 90, 7)),
    toBow: aux ? null : ubits(p, 132, 9),
    toStern: aux ? null : ubits(p, 141, 9),
    toPort: aux ? null : ubits(p, 150, 6),
    toStarboard: aux ? null : ubits(p, 156, 6),
    mothershipMmsi: aux ? ubits(p, 132, 30) : null,
  };
}
