import { sixbitText, ubits } from '../sixbit.js';
import type { StaticVoyageData } from '../types.js';
import { shipType, text } from './field-values.js';

/**
 * The standard length is 424 bits, but many transmitters send 420 or 422 (the spare and DTE
 * bits dropped); those still carry every field that matters, so they are accepted.
 */
export const STATIC_VOYAGE_MIN_BITS = 420;

/** Type 5 (M.1371-5 table 48). */
export function decodeStaticVoyageData(p: string, bitlen: number, repeat: number, mmsi: number): StaticVoyageData {
  const imo = ubits(p, 40, 30);
  const month = ubits(p, 274, 4);
  const day = ubits(p, 278, 5);
  const hour = ubits(p, 283, 5);
  const minute = ubits(p, 288, 6);
  const draught = ubits(p, 294, 8);
  return {
    type: 5,
    repeat,
    mmsi,
    aisVersion: ubits(p, 38, 2),
    imo: imo === 0 ? null : imo,
    callsign: text(sixbitText(p, 70, 7)),
    shipName: text(sixbitText(p, 112, 20)),
    shipType: shipType(ubits(p, 232, 8)),
    toBow: ubits(p, 240, 9),
    toStern: ubits(p, 249, 9),
    toPort: ubits(p, 258, 6),
    toStarboard: ubits(p, 264, 6),
    epfd: ubits(p, 270, 4),
    eta: {
      month: month === 0 ? null : month,
      day: day === 0 ? null : day,
      hour: hour === 24 ? null : hour,
      minute: minute === 60 ? null : minute,
    },
    draught: draught === 0 ? null : draught / 10,
    destination: text(sixbitText(p, 302, 20)),
    // The 420/422-bit variants lack the DTE bit; 1 (not available) is the standard's default.
    dte: bitlen >= 423 ? ubits(p, 422, 1) : 1,
  };
}
