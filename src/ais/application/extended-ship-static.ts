import { ubits } from '../sixbit.js';
import type { ExtendedShipStatic } from './application-types.js';

/** IMO236 application 15 carries only the 11-bit air draught (then 5 spare bits). */
export const EXTENDED_SHIP_STATIC_BITS = 11;

/**
 * DAC 1 FID 15. `at` is where the application data starts (bit 56 in type 8, bit 88 in type 6);
 * gpsd reads the type 6 variant from bit 56, inside the destination MMSI (docs/gpsd-differences.md).
 */
export function decodeExtendedShipStatic(p: string, at: number): ExtendedShipStatic {
  const raw = ubits(p, at, 11);
  return { kind: 'extended-ship-static', airDraught: raw === 0 ? null : raw / 10 };
}
